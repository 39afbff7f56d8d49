import type { Delivery } from "../../../fabric/delivery/delivery.js";
import type { FabricContext, FabricNode } from "../../../fabric/delivery/fabric-context.js";
import { on } from "../../../fabric/delivery/repair-commands.js";
import { VXLAN_OVERHEAD } from "../../../fabric/fleet-spec.js";
import type { Finding } from "../../../model/finding.js";
import { someOf } from "./vxlan-devices.js";

/** Bytes each way of sending adds to a pod's packet: VXLAN's outer Ethernet, IP, UDP and VXLAN headers, IPIP's outer IP header, GRE's IP and GRE headers. */
const OVERHEAD: Record<NonNullable<Delivery["way"]>, number> = { vxlan: VXLAN_OVERHEAD, ipip: 20, gre: 24, gateway: 0 };

interface Limit {
  node: string;
  dev: string;
  mtu: number;
}

/** The underlay devices a pair's packets cross: the sender's way out and the receiver's way in; the smaller one limits the path. */
function pathLimit(ctx: FabricContext, from: FabricNode, to: FabricNode, delivery: Delivery): { limit: Limit; other: Limit } | undefined {
  const target = delivery.way === "vxlan" ? to.vtepUnderlay : delivery.route?.via;
  const arrival = target === undefined ? undefined : to.fabric.underlay.find((u) => u.ip === target);
  const lower = delivery.way === "vxlan" ? from.vxlan?.lower : undefined;
  const outName = delivery.way === "gateway" ? delivery.out?.name : lower ?? (target === undefined ? undefined : from.index.routesOf(from.host).lookup(target)?.route.dev);
  const out = outName ? from.index.links.named(from.host, outName) : undefined;
  if (!arrival || !out) return undefined;
  const sending = { node: from.name, dev: out.name, mtu: out.mtu };
  const receiving = { node: to.name, dev: arrival.dev, mtu: arrival.mtu };
  return receiving.mtu < sending.mtu ? { limit: receiving, other: sending } : { limit: sending, other: receiving };
}

interface Group {
  limit: Limit;
  other: Limit;
  podMtu: number;
  overhead: number;
  way: string;
  /** The (sender, receiver) pairs whose path the limiting device cuts. */
  pairs: Array<[string, string]>;
}

/** Which pods lose the larger packets, from where the limiting device sits: its node's way in, its way out, or both. */
function lostBetween(node: string, pairs: ReadonlyArray<[string, string]>): string {
  const from = [...new Set(pairs.filter(([, to]) => to === node).map(([f]) => f))].sort();
  const to = [...new Set(pairs.filter(([f]) => f === node).map(([, t]) => t))].sort();
  if (from.length && to.length) return `between ${node}'s pods and those of ${someOf([...new Set([...from, ...to])].sort())}, both ways,`;
  return from.length ? `from the pods of ${someOf(from)} to ${node}'s pods` : `from ${node}'s pods to those of ${someOf(to)}`;
}

/**
 * A pod's largest packet plus the encapsulation must fit every underlay device on
 * the way, at both ends: what does not is lost in silence (an encapsulated packet
 * gets no "fragmentation needed" back to the pod). One finding per limiting
 * device and pod MTU, naming the pairs it cuts.
 */
export function fabricMtuFindings(ctx: FabricContext): Finding[] {
  const groups = new Map<string, Group>();
  for (const from of ctx.nodes.values()) {
    const podMtu = from.fabric.podMtu;
    if (podMtu === undefined) continue;
    for (const subnet of ctx.owned.all) {
      if (subnet.kind !== "pod" || !ctx.requires(from, subnet)) continue;
      const delivery = ctx.deliveryOf(from, subnet);
      const to = ctx.nodes.get(subnet.node);
      if (!to || !delivery.way || delivery.reaches !== to.name || delivery.problems.length) continue;
      const overhead = OVERHEAD[delivery.way];
      const path = pathLimit(ctx, from, to, delivery);
      if (!path || podMtu + overhead <= path.limit.mtu) continue;
      const key = `${path.limit.node}/${path.limit.dev}/${podMtu}/${overhead}`;
      const group = groups.get(key) ?? { ...path, podMtu, overhead, way: delivery.way === "gateway" ? "" : ` with ${delivery.way.toUpperCase()}'s ${overhead}-byte headers`, pairs: [] };
      group.pairs.push([from.name, to.name]);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((g) => {
    const fits = g.limit.mtu - g.overhead;
    // When the other end carries the packets, the odd device is the fault; when neither does, the pods' MTU is.
    const raise = g.other.mtu >= g.podMtu + g.overhead;
    const senders = [...new Set(g.pairs.map(([from]) => from))].sort();
    const tunnels = senders.flatMap((s) => {
      const t = ctx.nodes.get(s)?.vxlan;
      return t && g.overhead === VXLAN_OVERHEAD && t.mtu > fits ? [on(s, `ip link set ${t.dev} mtu ${fits}`)] : [];
    });
    return {
      code: "fabric-mtu",
      severity: "error" as const,
      message: `pods send packets of up to ${g.podMtu} bytes${g.way}, ${g.podMtu + g.overhead} on the wire, but ${g.limit.node}'s ${g.limit.dev} has MTU ${g.limit.mtu}: larger packets ${lostBetween(g.limit.node, g.pairs)} are lost`,
      hint: raise
        ? `Raise ${g.limit.node}'s ${g.limit.dev} to ${g.podMtu + g.overhead} if its network carries it (${g.other.node}'s ${g.other.dev} has ${g.other.mtu}), or give the pods an MTU of at most ${fits}.`
        : `Give the pods an MTU of at most ${fits} (the CNI configuration's "mtu"; flannel: FLANNEL_MTU), so new pods get it${tunnels.length ? ", and lower the tunnel device to match" : ""}.`,
      ...(raise ? { fix: on(g.limit.node, `ip link set ${g.limit.dev} mtu ${g.podMtu + g.overhead}`) } : tunnels.length ? { fix: tunnels.join("; ") } : {}),
      subjects: [`${g.limit.node}/host/${g.limit.dev}`, ...[...new Set(g.pairs.flat())].filter((n) => n !== g.limit.node).sort().map((n) => `${n}/host`)],
    };
  });
}
