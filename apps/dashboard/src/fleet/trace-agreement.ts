import type { ProbeResult } from "@netatlas/agent-api";
import type { TraceResult } from "@netatlas/core";

export interface FirstHop {
  dev?: string;
  via?: string;
}

/** Where the explanation (trace) and reality (the agent's probe) agree or differ. */
export interface TraceAgreement {
  agree: boolean;
  message: string;
  firstHop: { trace?: FirstHop; kernel?: FirstHop & { type?: string }; agree: boolean | null; error?: string };
}

/**
 * The trace predicts a reply exactly when it says "delivered": delivered with
 * replies, or any other verdict with none, agree; the rest differ. The first
 * routing hop is held against the kernel's `ip route get` in the same namespace.
 */
export function compareWithProbe(result: TraceResult, probe: ProbeResult): TraceAgreement {
  const replies = probe.attempts.filter((a) => a.ok).length;
  const delivered = result.forward.verdict.kind === "delivered";
  const replied = replies > 0;
  const got = `the probe (${probe.protocol}${probe.port ? `/${probe.port}` : ""}) got ${replies} of ${probe.attempts.length} replies`;
  const message = `trace says ${result.forward.verdict.kind} and ${got}${delivered === replied ? "" : delivered ? "; the kernel state looks right but traffic does not pass (a firewall, a dead process, or state that changed since the snapshot)" : "; traffic passes where the trace says it cannot (its snapshot may be old, or a path it does not model)"}`;
  return { agree: delivered === replied, message, firstHop: firstHopOf(result, probe) };
}

function firstHopOf(result: TraceResult, probe: ProbeResult): TraceAgreement["firstHop"] {
  const route = result.forward.hops.find((h) => h.action === "route")?.route;
  const traced = route ? { dev: route.dev, via: route.via } : undefined;
  const kernel = probe.routeGet ? { dev: probe.routeGet.dev, via: probe.routeGet.gateway, type: probe.routeGet.type } : undefined;
  if (!traced || !kernel) return { trace: traced, kernel, agree: null, error: probe.routeError ?? (traced ? "the agent did not report ip route get" : "the trace made no routing decision") };
  return { trace: traced, kernel, agree: traced.dev === kernel.dev && traced.via === kernel.via };
}
