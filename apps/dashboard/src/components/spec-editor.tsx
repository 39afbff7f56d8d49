"use client";
import { allocate, allocateDocker, validateFleetSpec, type Allocation, type DockerAllocation } from "@netatlas/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { api, fieldErrors } from "../client/api";
import { otherSections, type SpecDraft } from "../fleet/spec-draft";
import { AllocationTable } from "./allocation-table";
import { DockerAllocationTable } from "./docker-allocation-table";
import { SpecForm } from "./spec-form";
import { SpecJson } from "./spec-json";

/**
 * Edits a spec starting from `initial` (the newest version, or an empty one),
 * checked as you type by core's FleetSpec, the same check the server runs.
 */
export function SpecEditor({ initial, baseVersion, savedAllocation, savedDockerAllocation, readOnly }: { initial: SpecDraft; baseVersion: number | null; savedAllocation?: Allocation; savedDockerAllocation?: DockerAllocation; readOnly: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<SpecDraft>(initial);
  const [view, setView] = useState<"form" | "json">("form");
  const suggested = useQuery({ queryKey: ["spec-suggested"], queryFn: () => api.spec.suggestedNodes.query(), refetchInterval: 5_000 });
  const checked = useMemo(() => validateFleetSpec(draft), [draft]);
  const errors = checked.ok ? {} : Object.fromEntries(checked.errors.map((e) => [e.path, e.message]));
  const allocation = useMemo(() => (checked.ok ? allocate(checked.spec, savedAllocation) : undefined), [checked, savedAllocation]);
  // Docker subnets can run out of room in the range: that is an error to show, not a crash.
  const docker = useMemo((): { allocation?: DockerAllocation; error?: string } => {
    if (!checked.ok || !checked.spec.docker) return {};
    try {
      return { allocation: allocateDocker(checked.spec, savedDockerAllocation) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }, [checked, savedDockerAllocation]);
  const save = useMutation({
    mutationFn: () => api.spec.save.mutate({ spec: draft, baseVersion }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ["spec"] });
      await queryClient.invalidateQueries({ queryKey: ["spec-history"] });
      router.replace(`/spec?version=${saved.version}`);
    },
  });
  const serverErrors = save.isError ? fieldErrors(save.error) : {};
  const shown = { ...errors, ...serverErrors };
  const extra = otherSections(draft);
  // Fields core's FleetSpec does not know (from a newer spec, or a typo) would not be saved: say so before saving.
  const dropped = checked.ok ? Object.keys(draft).filter((k) => !(k in checked.spec)) : [];
  // Errors the form has no field for (a section only the JSON view edits): listed above the form.
  const formPaths = /^(podCidr|nodeSubnetPrefix|bridge|underlayMtu|masquerade|backend\.(type|vni|port|mtu)|nodes(\.\d+\.(name|underlayIp|underlayDev))?)$/;
  const elsewhere = Object.entries(shown).filter(([path]) => view === "json" || !formPaths.test(path));
  return (
    <section className="card">
      <div className="toolbar">
        <button type="button" className={view === "form" ? "active" : ""} onClick={() => setView("form")}>Form</button>
        <button type="button" className={view === "json" ? "active" : ""} onClick={() => setView("json")}>Advanced (JSON)</button>
        {extra.filter((k) => !dropped.includes(k)).length > 0 && <span className="muted">also in this spec: {extra.filter((k) => !dropped.includes(k)).join(", ")} (edit in the JSON view)</span>}
        {dropped.length > 0 && <span className="sev-warning" data-testid="spec-unknown">not part of the fleet spec, so not saved: {dropped.join(", ")}</span>}
      </div>
      {elsewhere.length > 0 && (
        <ul className="field-error" role="alert" data-testid="spec-errors">
          {elsewhere.map(([path, message]) => <li key={path}><strong>{path}</strong>: {message}</li>)}
        </ul>
      )}
      {view === "form" ? <SpecForm draft={draft} errors={shown} readOnly={readOnly} suggested={suggested.data ?? []} onChange={setDraft} /> : <SpecJson draft={draft} readOnly={readOnly} onChange={setDraft} />}
      <h3>Allocation</h3>
      {!allocation ? <p className="muted">Shown once the spec is valid.</p> : Object.keys(allocation).length ? <AllocationTable allocation={allocation} saved={savedAllocation} /> : <p className="muted" data-testid="no-pod-fabric">No pod fabric: no pod subnets (Docker networks only).</p>}
      {docker.allocation && <DockerAllocationTable allocation={docker.allocation} saved={savedDockerAllocation} />}
      {docker.error && <p className="field-error" role="alert">docker: {docker.error}</p>}
      {!readOnly && (
        <div className="toolbar">
          <button type="button" disabled={!checked.ok || !!docker.error || save.isPending} onClick={() => save.mutate()}>
            {save.isPending ? "Saving…" : baseVersion ? `Save as version ${baseVersion + 1}` : "Save the first version"}
          </button>
          {!checked.ok && <span className="muted">{checked.errors.length} problem(s) to fix first</span>}
        </div>
      )}
    </section>
  );
}
