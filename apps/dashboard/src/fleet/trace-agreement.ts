import type { ProbeResult } from "@netatlas/agent-api";
import type { TraceResult } from "@netatlas/core";

export interface FirstHop {
  dev?: string;
  via?: string;
}

/** What the trace predicts a probe gets: replies, none, or either (it hangs on rules the trace cannot decide). */
export type ExpectedReplies = "replies" | "none" | "either";

/** Where the explanation (trace) and reality (the agent's probe) agree or differ. */
export interface TraceAgreement {
  agree: boolean;
  expected: ExpectedReplies;
  message: string;
  firstHop: { trace?: FirstHop; kernel?: FirstHop & { type?: string }; agree: boolean | null; error?: string };
}

/**
 * A probe needs the request delivered and its reply back: "replies" when both paths are
 * delivered, "none" when either is stopped, "either" when neither is stopped but one is
 * uncertain (a rate limit, a mark set elsewhere, an opaque rule decides).
 */
export function expectedReplies(result: TraceResult): ExpectedReplies {
  const kinds = [result.forward.verdict.kind, ...(result.reverse ? [result.reverse.verdict.kind] : [])];
  if (kinds.every((k) => k === "delivered")) return "replies";
  return kinds.every((k) => k === "delivered" || k === "uncertain") ? "either" : "none";
}

/** "delivered", or "delivered, reply filtered" when the reply fares otherwise. */
function saidBy(result: TraceResult): string {
  const forward = result.forward.verdict.kind;
  const reverse = result.reverse?.verdict.kind;
  return reverse && reverse !== "delivered" ? `${forward}, reply ${reverse}` : forward;
}

const WHY_NOT_PASSING = "the kernel state looks right but traffic does not pass (a dead process, a rule the trace does not model, or state that changed since the snapshot)";
const WHY_PASSING = "traffic passes where the trace says it cannot (its snapshot may be old, or a path it does not model)";

/**
 * Whether a probe's replies are what was expected: "either" agrees with both outcomes
 * (the probe tells which way the undecided rules went). `said` is what the prediction
 * came from, for the message ("trace says delivered", "state says failed").
 */
export function replyAgreement(expected: ExpectedReplies, said: string, probe: ProbeResult): Pick<TraceAgreement, "agree" | "expected" | "message"> {
  const replies = probe.attempts.filter((a) => a.ok).length;
  const replied = replies > 0;
  const got = `the probe (${probe.protocol}${probe.port ? `/${probe.port}` : ""}) got ${replies} of ${probe.attempts.length} replies`;
  const agree = expected === "either" || (expected === "replies") === replied;
  const why = expected === "either" ? `: the rules the trace could not decide ${replied ? "let it pass" : "stopped it (or a rate limit did)"}` : agree ? "" : `; ${replied ? WHY_PASSING : WHY_NOT_PASSING}`;
  return { agree, expected, message: `${said} and ${got}${why}` };
}

/**
 * The trace predicts replies exactly when it delivers the request and the reply; any
 * other verdict predicts none; an uncertain one agrees with either outcome. The first
 * routing hop is held against the kernel's `ip route get` in the same namespace.
 */
export function compareWithProbe(result: TraceResult, probe: ProbeResult): TraceAgreement {
  return { ...replyAgreement(expectedReplies(result), `trace says ${saidBy(result)}`, probe), firstHop: firstHopOf(result, probe) };
}

function firstHopOf(result: TraceResult, probe: ProbeResult): TraceAgreement["firstHop"] {
  const route = result.forward.hops.find((h) => h.action === "route")?.route;
  const traced = route ? { dev: route.dev, via: route.via } : undefined;
  const kernel = probe.routeGet ? { dev: probe.routeGet.dev, via: probe.routeGet.gateway, type: probe.routeGet.type } : undefined;
  if (!traced || !kernel) return { trace: traced, kernel, agree: null, error: probe.routeError ?? (traced ? "the agent did not report ip route get" : "the trace made no routing decision") };
  return { trace: traced, kernel, agree: traced.dev === kernel.dev && traced.via === kernel.via };
}
