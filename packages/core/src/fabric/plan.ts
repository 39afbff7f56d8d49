import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex } from "@noble/hashes/utils";
import { addressCidr } from "../model/address.js";
import type { Link } from "../model/link.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { normalizeCidr } from "../net/cidr.js";
import type { NodeIntent } from "./node-intent.js";
import { z } from "zod";
import { Op, orderOps } from "./ops.js";
import { dockerBasis, planDocker } from "./plan-docker.js";
import { NETATLAS_LINK_ALIAS, NETATLAS_NFT_TABLE, NETATLAS_ROUTE_PROTOCOL } from "./owned.js";
import { lazySchema } from "../model/lazy-schema.js";

export const Plan = lazySchema(() =>
  z.object({
    node: z.string(),
    ops: z.array(Op),
    /** Hash of the ops and of the state they were computed from: apply refuses if either changed. */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    /** Things netatlas would need to change but does not own: reported, never touched. */
    conflicts: z.array(z.string()),
  }),
);
export type Plan = z.infer<typeof Plan>;

const hashOf = (value: unknown) => bytesToHex(sha256(new TextEncoder().encode(JSON.stringify(value))));

/**
 * The host namespace's state that a plan depends on, in a canonical form.
 * Neighbours and FDB entries only as far as the plan reads them (the permanent
 * ones): the kernel adds, ages and drops the others with every packet (a probe
 * between pods makes a REACHABLE entry on cni0 that turns STALE on its own), and
 * a plan refused as outdated for that could never be applied on a busy node.
 */
function basisOf(snapshot: NodeSnapshot, host: number, intent: NodeIntent) {
  const devs = new Set([intent.bridge?.name, intent.vxlan?.name].filter(Boolean));
  return {
    links: snapshot.links.filter((l) => l.netns === host).map((l) => [l.name, l.kind, l.mtu, l.state, l.alias ?? "", l.vxlan ?? null]).sort(),
    addresses: snapshot.addresses.filter((a) => a.netns === host && devs.has(a.ifname)).map((a) => `${a.ifname} ${addressCidr(a)}`).sort(),
    routes: snapshot.routes.filter((r) => r.netns === host && r.table === "main").map((r) => `${r.dst} ${r.via ?? ""} ${r.dev ?? ""} ${r.protocol} ${r.flags.join(",")}`).sort(),
    neighbors: snapshot.neighbors.filter((n) => n.netns === host && devs.has(n.dev) && n.state.includes("PERMANENT")).map((n) => `${n.dev} ${n.address} ${n.lladdr ?? ""}`).sort(),
    fdb: snapshot.fdb.filter((f) => f.netns === host && devs.has(f.dev) && f.state === "permanent").map((f) => `${f.dev} ${f.mac} ${f.dst ?? ""}`).sort(),
    nat: snapshot.nat.filter((r) => r.netns === host && r.table === NETATLAS_NFT_TABLE).map((r) => r.text).sort(),
    docker: dockerBasis(snapshot, host),
  };
}

const owned = (l: Link) => l.alias === NETATLAS_LINK_ALIAS;
const isUp = (l: Link) => l.flags.includes("UP");

function planBridge(intent: NodeIntent, links: Link[], ops: Op[]): void {
  // No pod fabric, no pod bridge: a cni0 that exists is left alone (planned bridges are never removed).
  if (!intent.bridge) return;
  const { name, address, mtu } = intent.bridge;
  if (links.some((l) => l.name === name)) return; // the CNI plugin's or ours: it exists, and it is not ours to reshape
  ops.push({ op: "add-bridge", name, mtu, reason: `pods on this node attach to ${name}, which does not exist yet` });
  ops.push({ op: "add-address", dev: name, cidr: address, reason: `${name} is the gateway of this node's pod subnet ${intent.subnet ?? ""}` });
  ops.push({ op: "set-up", name, reason: `${name} must be up to forward` });
}

/** Returns whether the VXLAN device will be new (so every entry on it is an add). */
function planVxlan(intent: NodeIntent, snapshot: NodeSnapshot, host: number, links: Link[], ops: Op[], conflicts: string[]): boolean {
  const want = intent.vxlan;
  for (const l of links.filter((l) => owned(l) && l.kind === "vxlan" && l.name !== want?.name)) ops.push({ op: "del-link", name: l.name, reason: "the fleet spec no longer uses this VXLAN device" });
  if (!want) return false;
  const have = links.find((l) => l.name === want.name);
  if (have && !owned(have)) {
    conflicts.push(`a link named ${want.name} exists but is not netatlas's (alias "${have.alias ?? ""}"); not touched`);
    return false;
  }
  const same = have?.vxlan && have.vxlan.vni === want.vni && have.vxlan.port === want.port && have.vxlan.local === want.local && have.vxlan.device === want.dev && have.mac === want.mac;
  const fresh = !have || !same;
  if (have && !same) ops.push({ op: "del-link", name: want.name, reason: `VXLAN settings changed (VNI ${want.vni}, port ${want.port}, local ${want.local}, dev ${want.dev})` });
  if (fresh) ops.push({ op: "add-vxlan", ...want, reason: `pod traffic to other nodes is encapsulated in VXLAN VNI ${want.vni}` });
  else if (have.mtu !== want.mtu) ops.push({ op: "set-mtu", name: want.name, mtu: want.mtu, reason: `MTU ${have.mtu} should be ${want.mtu} (underlay MTU minus VXLAN overhead)` });
  const hasAddress = !fresh && snapshot.addresses.some((a) => a.netns === host && a.ifname === want.name && addressCidr(a) === want.address);
  if (!hasAddress) ops.push({ op: "add-address", dev: want.name, cidr: want.address, reason: `${want.address} is this node's VTEP address` });
  if (fresh || !isUp(have)) ops.push({ op: "set-up", name: want.name, reason: `${want.name} must be up to carry traffic` });
  return fresh;
}

function planNeighbors(intent: NodeIntent, snapshot: NodeSnapshot, host: number, fresh: boolean, ops: Op[]): void {
  const dev = intent.vxlan?.name;
  if (!dev) return;
  const actual = fresh ? [] : snapshot.neighbors.filter((n) => n.netns === host && n.dev === dev && n.state.includes("PERMANENT"));
  for (const want of intent.neighbors) {
    if (!actual.some((n) => n.address === want.address && n.lladdr === want.lladdr)) ops.push({ op: "replace-neigh", ...want, reason: `the VTEP ${want.address} of a peer node answers at ${want.lladdr}` });
  }
  for (const n of actual) if (!intent.neighbors.some((w) => w.address === n.address)) ops.push({ op: "del-neigh", address: n.address, dev, reason: `no node in the fleet has VTEP ${n.address}` });
  const fdb = fresh ? [] : snapshot.fdb.filter((f) => f.netns === host && f.dev === dev && f.state === "permanent");
  for (const want of intent.fdb) {
    if (!fdb.some((f) => f.mac === want.mac && f.dst === want.dst)) ops.push({ op: "add-fdb", ...want, reason: `frames for ${want.mac} go to the node at ${want.dst}` });
  }
  for (const f of fdb) if (!intent.fdb.some((w) => w.mac === f.mac && w.dst === f.dst)) ops.push({ op: "del-fdb", mac: f.mac, dev, dst: f.dst, reason: `no node in the fleet is ${f.mac} at ${f.dst ?? "?"}` });
}

/** `recreated`: a device deleted and added again by this plan, whose routes the kernel drops with it. */
function planRoutes(intent: NodeIntent, snapshot: NodeSnapshot, host: number, recreated: string | undefined, ops: Op[], conflicts: string[]): void {
  const main = snapshot.routes.filter((r) => r.netns === host && r.table === "main" && r.type === "unicast" && r.dev !== recreated);
  const ours = main.filter((r) => r.protocol === NETATLAS_ROUTE_PROTOCOL);
  // Routes to other nodes' pod subnets and to other Docker hosts' subnets: one owned set.
  const wanted = [...intent.routes, ...(intent.docker?.routes ?? [])];
  for (const want of wanted) {
    const dst = normalizeCidr(want.dst);
    const have = ours.find((r) => r.dst === dst);
    const foreign = main.find((r) => r.dst === dst && r.protocol !== NETATLAS_ROUTE_PROTOCOL);
    if (!have && foreign) {
      conflicts.push(`a route to ${dst} exists (proto ${foreign.protocol}${foreign.via ? ` via ${foreign.via}` : ""}) that is not netatlas's; not touched`);
      continue;
    }
    const same = have && have.via === want.via && have.dev === want.dev && have.flags.includes("onlink") === want.onlink;
    if (!same) ops.push({ op: "replace-route", ...want, dst, reason: have ? `route to ${dst} goes ${have.via ? `via ${have.via}` : ""} dev ${have.dev}; it should go via ${want.via} dev ${want.dev}` : intent.routes.includes(want) ? `pods of the node owning ${dst} are reached via ${want.via}` : `containers of the Docker host owning ${dst} are reached via ${want.via}` });
  }
  for (const r of ours) if (!wanted.some((w) => normalizeCidr(w.dst) === r.dst)) ops.push({ op: "del-route", dst: r.dst, via: r.via, dev: r.dev, reason: `no node in the fleet owns ${r.dst} any more` });
}

function planMasquerade(intent: NodeIntent, snapshot: NodeSnapshot, host: number, ops: Op[]): void {
  const rules = snapshot.nat.filter((r) => r.netns === host && r.table === NETATLAS_NFT_TABLE);
  const pods = intent.podCidr;
  // Without a pod fabric, masquerade is false: a table netatlas made for an earlier pod fabric goes, nothing else is touched.
  const want = intent.masquerade && pods !== undefined;
  const right =
    rules.length === 1 &&
    rules[0]?.action === "masquerade" &&
    rules[0].matches.some((m) => m.field === "ip saddr" && m.op === "==" && m.value === pods) &&
    rules[0].matches.some((m) => m.field === "ip daddr" && m.op === "!=" && m.value === pods);
  if (want && pods !== undefined && !right) ops.push({ op: "set-masquerade", source: pods, reason: `pods leaving ${pods} need their source rewritten to the node's address` });
  if (!want && rules.length) ops.push({ op: "del-masquerade", reason: pods ? "the fleet spec turns masquerade off" : "the fleet spec has no pod fabric any more" });
}

/**
 * The ordered, minimal ops that turn a node's actual state into its intent,
 * touching only what netatlas owns; with a hash over the ops and the state they
 * were computed from. The same state always gives the same plan.
 */
export function plan(snapshot: NodeSnapshot, intent: NodeIntent): Plan {
  const host = snapshot.namespaces.find((n) => n.kind === "host");
  if (!host) throw new Error(`snapshot of ${snapshot.node} has no host namespace`);
  const links = snapshot.links.filter((l) => l.netns === host.id);
  const ops: Op[] = [];
  const conflicts: string[] = [];
  planBridge(intent, links, ops);
  const fresh = planVxlan(intent, snapshot, host.id, links, ops, conflicts);
  planNeighbors(intent, snapshot, host.id, fresh, ops);
  planRoutes(intent, snapshot, host.id, fresh ? intent.vxlan?.name : undefined, ops, conflicts);
  planMasquerade(intent, snapshot, host.id, ops);
  planDocker(intent, snapshot, host.id, ops, conflicts);
  const ordered = orderOps(ops);
  return { node: snapshot.node, ops: ordered, conflicts, hash: hashOf({ ops: ordered.map(({ reason: _r, ...op }) => op), basis: basisOf(snapshot, host.id, intent), intent }) };
}
