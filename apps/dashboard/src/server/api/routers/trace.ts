import { trace, type TraceResult } from "@netatlas/core";
import { TRPCError } from "@trpc/server";
import { compareWithProbe } from "../../../fleet/trace-agreement";
import { resolveEndpoint, traceEndpoints, type TraceEndpoint } from "../../../fleet/trace-endpoints";
import { TraceRequest } from "../../../fleet/trace-request";
import { adminTokenOf, probeFrom } from "../../fleet/agent-probe";
import { audit } from "../../store/audit-store";
import type { Runtime } from "../../runtime";
import { adminProcedure, router, signedInProcedure } from "../trpc";
import { fleetIndex, fleetSnapshots } from "../../fleet/fleet-basis";

const PROBE = { count: 3, timeoutMs: 1_000 } as const;

/** The form's text resolved against the fleet; a field that names nothing is a BAD_REQUEST naming that field. */
function resolve(endpoints: TraceEndpoint[], field: "source" | "destination", text: string) {
  const choice = resolveEndpoint(endpoints, text);
  if (!choice.ok) throw new TRPCError({ code: "BAD_REQUEST", message: `${field}: ${choice.message}` });
  return choice;
}

/** Traces over the poller's newest snapshots: the browser never gets agent data to trace itself. */
function runTrace(rt: Runtime, input: TraceRequest): TraceResult {
  const endpoints = traceEndpoints(fleetSnapshots(rt));
  const source = resolve(endpoints, "source", input.source);
  const destination = resolve(endpoints, "destination", input.destination);
  if (!destination.ip) throw new TRPCError({ code: "BAD_REQUEST", message: `destination: ${input.destination} has no IP address; trace to a pod or an IP` });
  return trace(fleetIndex(rt), source.source, { ip: destination.ip, protocol: input.protocol, port: input.port }, input.packetSize === undefined ? {} : { packetSize: input.packetSize });
}

export const traceRouter = router({
  /** Pods, containers and named namespaces to suggest in the form. */
  endpoints: signedInProcedure.query(({ ctx }) => traceEndpoints(fleetSnapshots(ctx.rt)).map(({ key, kind, node, ips }) => ({ key, kind, node, ips }))),
  run: signedInProcedure.input(TraceRequest).query(({ ctx, input }) => runTrace(ctx.rt, input)),
  /** Sends the agent's real probe from the source namespace and holds it against the trace (admin; audited). */
  verify: adminProcedure.input(TraceRequest).mutation(async ({ ctx, input }) => {
    const result = runTrace(ctx.rt, input);
    const from = result.source;
    if (!from) throw new TRPCError({ code: "BAD_REQUEST", message: `source: ${result.forward.verdict.message}` });
    if (result.destination.ip.includes(":")) throw new TRPCError({ code: "BAD_REQUEST", message: "destination: the agent probes IPv4 addresses only" });
    if (input.protocol === "udp") throw new TRPCError({ code: "BAD_REQUEST", message: "protocol: the agent probes with icmp or tcp (a udp probe gets no answer to hold against the trace); trace udp without verify" });
    if (input.packetSize !== undefined && input.protocol !== "icmp") throw new TRPCError({ code: "BAD_REQUEST", message: "packetSize: a probe of a given size is an icmp echo (a tcp probe only connects); verify with icmp or leave packetSize out" });
    const protocol = input.protocol;
    const target = ctx.rt.poller.node(from.node)?.target;
    if (!target) throw new TRPCError({ code: "NOT_FOUND", message: `source: node "${from.node}" is no longer in the fleet` });
    const adminToken = adminTokenOf(ctx.rt.config, target);
    if (!adminToken) throw new TRPCError({ code: "PRECONDITION_FAILED", message: `form: node "${from.node}" has no admin token; add "adminToken" to its entry in NETATLAS_AGENTS to verify from it` });
    await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "probe", target: from.node, detail: { netns: from.netns, destination: result.destination.ip, protocol: input.protocol, port: input.port } });
    const probe = await probeFrom(target, adminToken, { netns: from.netns, target: result.destination.ip, protocol, port: input.port, ...(input.packetSize === undefined ? {} : { packetSize: input.packetSize }), ...PROBE }, ctx.rt.config.agentTimeoutMs).catch((error: unknown) => {
      throw new TRPCError({ code: "BAD_GATEWAY", message: `form: agent ${from.node} could not probe: ${(error as Error).message}` });
    });
    return { trace: result, probe, agreement: compareWithProbe(result, probe) };
  }),
});
