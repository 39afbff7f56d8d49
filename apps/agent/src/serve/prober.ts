import { probeRefusal, type NodeIntent, type NodeSnapshot } from "@netatlas/core";
import { ProbeRefusedError, type ProbeInput, type ProbeResult } from "@netatlas/agent-api";
import { probe } from "@netatlas/linux";
import { Serial } from "../reconcile/serial.js";

/** An nsfs path for a namespace: a name's bind mount, else a process that holds it. */
function pathOf(ns: NodeSnapshot["namespaces"][number]): string | undefined {
  if (ns.kind === "host") return "/proc/self/ns/net";
  return ns.paths[0] ?? (ns.processes[0] ? `/proc/${ns.processes[0].pid}/ns/net` : undefined);
}

/**
 * The agent's probes: one at a time (a rate cap on top of each probe's own
 * bounds), only from a namespace of this node, only to fleet addresses.
 */
export class Prober {
  private readonly serial = new Serial();

  constructor(
    private readonly snapshot: () => Promise<NodeSnapshot>,
    private readonly intent: () => NodeIntent | undefined,
  ) {}

  run(input: ProbeInput): Promise<ProbeResult> {
    return this.serial.run(async () => {
      const snapshot = await this.snapshot();
      const ns = snapshot.namespaces.find((n) => n.id === input.netns || n.names.includes(String(input.netns)));
      if (!ns) throw new ProbeRefusedError("netns", `no namespace ${JSON.stringify(input.netns)} on node ${snapshot.node}`);
      const path = pathOf(ns);
      if (!path) throw new ProbeRefusedError("netns", `namespace ${JSON.stringify(input.netns)} has neither a name nor a process to enter it by`);
      const refusal = probeRefusal(input.target, snapshot, this.intent());
      if (refusal) throw new ProbeRefusedError("target", refusal);
      const outcome = await probe({ netnsPath: path, target: input.target, protocol: input.protocol, port: input.port, count: input.count, timeoutMs: input.timeoutMs, packetSize: input.packetSize });
      return { node: snapshot.node, netns: ns.id, target: input.target, protocol: input.protocol, port: input.port, packetSize: input.packetSize, ...outcome };
    });
  }
}
