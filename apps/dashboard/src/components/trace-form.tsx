"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../client/api";
import type { TraceRequest } from "../fleet/trace-request";

export type TraceFormValues = { source: string; destination: string; protocol: "icmp" | "tcp"; port: string };

/** The request as typed: an empty port is left out, anything else goes as a number for the server to judge. */
export function toTraceRequest(form: TraceFormValues): TraceRequest {
  return { source: form.source, destination: form.destination, protocol: form.protocol, ...(form.port.trim() ? { port: Number(form.port) } : {}) };
}

/** Source and destination with suggestions from the fleet (pods, containers, namespaces); each field shows its own error. */
export function TraceForm({ errors, pending, onTrace }: { errors: Record<string, string>; pending: boolean; onTrace: (form: TraceFormValues) => void }) {
  const [form, setForm] = useState<TraceFormValues>({ source: "", destination: "", protocol: "icmp", port: "" });
  const endpoints = useQuery({ queryKey: ["trace-endpoints"], queryFn: () => api.trace.endpoints.query(), refetchInterval: 15_000 });
  const error = (key: string) => errors[key] && <span className="field-error" role="alert">{errors[key]}</span>;
  const endpointField = (key: "source" | "destination", label: string, placeholder: string) => (
    <label>
      {label}
      <input name={key} list={`${key}-options`} placeholder={placeholder} value={form[key]} aria-invalid={!!errors[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
      <datalist id={`${key}-options`}>
        {(endpoints.data ?? []).filter((e) => key === "source" || e.ips.length > 0).map((e) => <option key={e.key} value={e.key}>{`${e.node} ${e.ips.join(", ")}`}</option>)}
      </datalist>
      {error(key)}
    </label>
  );
  return (
    <form className="form trace-form" onSubmit={(e) => { e.preventDefault(); onTrace(form); }}>
      {endpointField("source", "Source", "pod, container, namespace or IP")}
      {endpointField("destination", "Destination", "pod or IP")}
      <div className="toolbar">
        <label>
          Protocol
          <select name="protocol" value={form.protocol} onChange={(e) => setForm({ ...form, protocol: e.target.value as TraceFormValues["protocol"] })}>
            <option value="icmp">icmp</option>
            <option value="tcp">tcp</option>
          </select>
        </label>
        <label>
          Port
          <input name="port" inputMode="numeric" placeholder={form.protocol === "tcp" ? "80" : "none"} value={form.port} aria-invalid={!!errors.port} onChange={(e) => setForm({ ...form, port: e.target.value })} />
          {error("port")}
        </label>
      </div>
      {error("protocol")}
      {error("form")}
      <button type="submit" disabled={pending}>Trace</button>
    </form>
  );
}
