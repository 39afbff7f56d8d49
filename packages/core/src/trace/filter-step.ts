import { describeStop } from "../filter/describe.js";
import { evaluateHook, type FilterStop } from "../filter/evaluate.js";
import type { FilterPacket } from "../filter/packet.js";
import type { FilterLayer } from "../filter/tables.js";
import { chainName, type FilterRule } from "../model/filter.js";
import type { TraceFilterRule } from "../model/trace.js";
import { ipFamily, isIp } from "../net/cidr.js";
import type { NodeIndex } from "./node-index.js";
import type { Packet, Walk } from "./walk.js";

export interface HookPlace {
  node: NodeIndex;
  netns: number;
}

/** The interface names a hook sees. */
export interface HookInterfaces {
  iif?: string;
  oif?: string;
}

/** The layer whose hooks an IP packet meets. */
export const ipLayer = (packet: Packet): FilterLayer => (ipFamily(packet.dst) === 4 ? "ip" : "ip6");

/**
 * What the hook sees of the trace's packet. A request is a new connection everywhere; its
 * reply is established where the request passed. An encapsulated (VXLAN) packet is a UDP
 * flow of its own in each direction (its source port is a hash of the inner flow), so it
 * is always new. A client's port the trace does not know is an ephemeral one.
 */
function seen(walk: Walk, at: HookPlace, packet: Packet, interfaces: HookInterfaces): FilterPacket {
  const { node, netns } = at;
  const established = walk.direction === "reverse" && !packet.inner && walk.conntrack.holds(node.name, netns);
  return {
    src: packet.src,
    dst: packet.dst,
    protocol: packet.protocol,
    sport: packet.sport ?? (walk.direction === "forward" ? "ephemeral" : undefined),
    dport: packet.port ?? (walk.direction === "reverse" ? "ephemeral" : undefined),
    ...interfaces,
    ct: established ? { state: "established", direction: "reply" } : { state: "new", direction: "original" },
    mark: walk.markIn(node.name, netns),
    routeBack: () => (isIp(packet.src) ? node.routesOf(netns).lookup(packet.src)?.route.dev : undefined),
  };
}

function traceRule(at: HookPlace, hook: string, rule: FilterRule): TraceFilterRule {
  return { node: at.node.name, netns: at.netns, family: rule.family, table: rule.table, chain: rule.chain, hook, ...(rule.handle !== undefined ? { handle: rule.handle } : {}), text: rule.text, ...(rule.reason ? { reason: rule.reason } : {}) };
}

function stopRule(at: HookPlace, hook: string, stop: FilterStop): TraceFilterRule {
  if (stop.rule) return traceRule(at, hook, stop.rule);
  return { node: at.node.name, netns: at.netns, family: stop.chain.family, table: stop.chain.table, chain: stop.chain.name, hook, text: `policy ${stop.chain.policy ?? "drop"}` };
}

const describeRule = (r: FilterRule) => `${r.family} ${r.table} ${r.chain}${r.handle === undefined ? "" : ` handle ${r.handle}`} "${r.text}" (${r.reason ?? "a condition the trace cannot check here, such as a mark set elsewhere"})`;

const VERB = { drop: "drops", reject: "rejects", queue: "hands to a userspace queue" } as const;

/**
 * Runs the filter base chains of one hook on the packet where it is. Returns false when
 * they stop it (the walk has ended "filtered"). An undecidable fork is a "filter" hop and
 * a note on the walk; the packet goes on as if it passed.
 */
export function passHook(walk: Walk, at: HookPlace, hook: string, layer: FilterLayer, packet: Packet, interfaces: HookInterfaces): boolean {
  const { node, netns } = at;
  if (walk.direction === "forward" && !packet.inner) walk.conntrack.record(node.name, netns);
  const tables = node.filter(netns);
  const bases = !tables ? [] : hook === "ingress" ? tables.ingressChains(interfaces.iif ?? "") : tables.baseChains(layer, hook);
  if (!tables || bases.length === 0) return true;
  const where = `${node.name} (${node.netnsLabel(netns)})`;
  const ifaces = [interfaces.iif, interfaces.oif];
  const decision = evaluateHook(tables, bases, seen(walk, at, packet, interfaces));
  if (decision.kind === "drop") {
    const rule = stopRule(at, hook, decision.stop);
    walk.hop(at, "filter", ifaces, `${chainName(decision.stop.chain)}: ${rule.text}`, `${hook} hook (${layer}): ${decision.stop.verdict}`, packet, undefined, [rule]);
    const reject = decision.stop.verdict === "reject" ? " (the sender gets an ICMP error or a TCP reset)" : "";
    walk.end("filtered", `${where} ${VERB[decision.stop.verdict]} the packet at the ${hook} hook: ${describeStop(decision.stop)}${reject}`, undefined, { rule });
    return false;
  }
  walk.setMark(node.name, netns, decision.mark);
  for (const u of decision.uncertain) {
    const dependsOn = u.dependsOn.map((r) => traceRule(at, hook, r));
    walk.hop(at, "filter", ifaces, u.dependsOn.map((r) => `${r.family} ${r.table} ${r.chain}: ${r.text}`).join("; "), `${hook} hook (${layer}): undecided; the other way, ${describeStop(u.stop)} ${VERB[u.stop.verdict]} the packet`, packet, undefined, dependsOn);
    walk.uncertain.push({ hop: walk.hops.length - 1, dependsOn, stop: stopRule(at, hook, u.stop), summary: `${where} at the ${hook} hook: it depends on ${u.dependsOn.map(describeRule).join(" and ")}; the other way, ${describeStop(u.stop)} ${VERB[u.stop.verdict]} it` });
  }
  return true;
}

/** Runs several hooks in turn (e.g. forward then postrouting); false as soon as one stops the packet. */
export function passHooks(walk: Walk, at: HookPlace, layer: FilterLayer, packet: Packet, hooks: ReadonlyArray<[hook: string, interfaces: HookInterfaces]>): boolean {
  return hooks.every(([hook, interfaces]) => passHook(walk, at, hook, layer, packet, interfaces));
}
