"use client";
import { getField, hasPodFabric, setField, withPodFabric, type SpecDraft } from "../fleet/spec-draft";
import type { SuggestedNode } from "../fleet/underlay-guess";

type Errors = Record<string, string>;

function FieldError({ errors, path }: { errors: Errors; path: string }) {
  return errors[path] ? <span className="field-error" role="alert" data-error-for={path}>{errors[path]}</span> : null;
}

const asNumber = (text: string) => (text.trim() === "" ? undefined : Number(text));

/** The spec's fields as a form; every change goes back as a new draft, every error sits next to its field. */
export function SpecForm({ draft, errors, readOnly, suggested, onChange }: { draft: SpecDraft; errors: Errors; readOnly: boolean; suggested: SuggestedNode[]; onChange: (draft: SpecDraft) => void }) {
  const set = (path: string, value: unknown) => onChange(setField(draft, path, value));
  const text = (path: string, label: string, hint?: string) => (
    <label>
      {label}
      <input name={path} value={String(getField(draft, path) ?? "")} aria-invalid={!!errors[path]} placeholder={hint} onChange={(e) => set(path, e.target.value === "" ? undefined : e.target.value)} />
      <FieldError errors={errors} path={path} />
    </label>
  );
  const number = (path: string, label: string, hint?: string) => (
    <label>
      {label}
      <input name={path} inputMode="numeric" value={String(getField(draft, path) ?? "")} aria-invalid={!!errors[path]} placeholder={hint} onChange={(e) => set(path, asNumber(e.target.value))} />
      <FieldError errors={errors} path={path} />
    </label>
  );
  const pods = hasPodFabric(draft);
  const backend = String(getField(draft, "backend.type") ?? "");
  const nodes = (Array.isArray(draft.nodes) ? draft.nodes : []) as Record<string, unknown>[];
  const missing = suggested.filter((s) => !nodes.some((n) => n.name === s.name));
  return (
    <fieldset className="spec-form" disabled={readOnly}>
      <label className="checkbox">
        <input type="checkbox" name="podFabric" checked={pods} onChange={(e) => onChange(withPodFabric(draft, e.target.checked))} />
        Pod fabric (each node gets a pod subnet, a bridge and routes to the others); off for plain Docker hosts, whose networks are in the docker section
      </label>
      <div className="form-grid">
        {pods && text("podCidr", "Pod CIDR", "10.244.0.0/16")}
        {pods && number("nodeSubnetPrefix", "Node subnet prefix length", "24")}
        {pods && text("bridge", "Bridge", "cni0")}
        {number("underlayMtu", "Underlay MTU", "1500")}
        {pods && (
          <>
            <label>
              Backend
              <select name="backend.type" value={backend} onChange={(e) => set("backend", { type: e.target.value })}>
                <option value="host-gw">host-gw (routes via the peer node)</option>
                <option value="vxlan">vxlan (encapsulated)</option>
              </select>
              <FieldError errors={errors} path="backend.type" />
            </label>
            <label className="checkbox">
              <input type="checkbox" name="masquerade" checked={getField(draft, "masquerade") !== false} onChange={(e) => set("masquerade", e.target.checked)} />
              Masquerade pod traffic leaving the pod CIDR
              <FieldError errors={errors} path="masquerade" />
            </label>
          </>
        )}
        {pods && backend === "vxlan" && (
          <>
            {number("backend.vni", "VXLAN VNI", "1")}
            {number("backend.port", "VXLAN UDP port", "8472")}
            {number("backend.mtu", "VXLAN MTU", "1450")}
          </>
        )}
      </div>
      <h3>Nodes</h3>
      <FieldError errors={errors} path="nodes" />
      <table className="spec-nodes">
        <thead><tr><th>Name (the agent's node name)</th><th>Underlay IP</th><th>Underlay device</th><th /></tr></thead>
        <tbody>
          {nodes.map((_, i) => (
            <tr key={i} data-spec-node={i}>
              {(["name", "underlayIp", "underlayDev"] as const).map((field) => (
                <td key={field}>
                  <input name={`nodes.${i}.${field}`} aria-label={`node ${i + 1} ${field}`} value={String(getField(draft, `nodes.${i}.${field}`) ?? "")} placeholder={field === "underlayDev" ? "eth0" : ""} aria-invalid={!!errors[`nodes.${i}.${field}`]} onChange={(e) => set(`nodes.${i}.${field}`, e.target.value === "" ? undefined : e.target.value)} />
                  <FieldError errors={errors} path={`nodes.${i}.${field}`} />
                </td>
              ))}
              <td><button type="button" className="link" onClick={() => set(`nodes.${i}`, undefined)}>remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="toolbar">
        <button type="button" onClick={() => set("nodes", [...nodes, { name: "", underlayIp: "" }])}>Add a node</button>
        {missing.length > 0 && (
          <button type="button" onClick={() => set("nodes", [...nodes, ...missing])}>
            Add from the fleet ({missing.map((m) => m.name).join(", ")})
          </button>
        )}
      </div>
    </fieldset>
  );
}
