import { randomBytes } from "node:crypto";
import { run } from "@netatlas/linux";
import { inNodeNet } from "./enter.js";
import { readIpv4Addresses, readPermanentFdb, readPermanentNeighbors, readRoutes, readVxlanLink, routeArgv } from "./node-kernel.js";

/** flannel's mac.NewHardwareAddr: random, unicast, locally administered. */
export function randomVtepMac(): string {
  const bytes = randomBytes(6);
  bytes[0] = ((bytes[0] as number) & 0xfe) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** A VXLAN device's settings, as flannel's vxlanDeviceAttrs holds them (pkg/backend/vxlan/device.go). */
export interface VxlanSettings {
  name: string;
  vni: number;
  port: number;
  local: string;
  dev: string;
  mtu: number;
  mac: string;
  learning: boolean;
}

/** `ip link add` of a VXLAN device, with every setting spelled out. */
export function addVxlanArgv(s: VxlanSettings): string[] {
  return ["ip", "link", "add", s.name, "address", s.mac, "mtu", String(s.mtu), "type", "vxlan", "id", String(s.vni), "local", s.local, "dev", s.dev, "dstport", String(s.port), s.learning ? "learning" : "nolearning"];
}

export interface RecreatedVxlan {
  name: string;
  before: { vni: number; mac: string };
  after: { vni: number; mac: string };
  /** What the kernel dropped with the old device and was put back on the new one. */
  restored: { addresses: string[]; routes: number; neighbors: number; fdb: number };
}

/**
 * Deletes a node's VXLAN device and makes it again with the same settings, but
 * the VNI and MAC that `change` gives for the current ones, as its daemon does
 * after a restart: the alias, addresses, routes
 * through it (with their protocol), and its permanent neighbour and FDB
 * entries towards its peers, all of which the kernel drops with the device,
 * are put back. Only this node changes: what the peers hold about it stays.
 */
export async function recreateVxlanDevice(node: { name: string; pid: number }, name: string, change: (current: { vni: number; mac: string }) => { vni: number; mac: string }): Promise<RecreatedVxlan> {
  const { pid } = node;
  const link = await readVxlanLink(pid, name);
  if (!link) throw new Error(`${node.name} has no VXLAN device ${name}; was it deleted?`);
  const [addresses, routes, neighbors, fdb] = await Promise.all([readIpv4Addresses(pid, name), readRoutes(pid, name), readPermanentNeighbors(pid, name), readPermanentFdb(pid, name)]);
  const d = link.linkinfo.info_data;
  const before = { vni: d.id, mac: link.address };
  const after = change(before);
  const ip = (...args: string[]) => run(inNodeNet(pid, ["ip", ...args]));
  await ip("link", "del", name);
  await run(inNodeNet(pid, addVxlanArgv({ name, vni: after.vni, port: d.port, local: d.local, dev: d.link, mtu: link.mtu, mac: after.mac, learning: d.learning })));
  // netatlas knows its own links by their alias.
  if (link.ifalias) await ip("link", "set", name, "alias", link.ifalias);
  for (const cidr of addresses) await ip("addr", "add", cidr, "dev", name);
  if (link.flags.includes("UP")) await ip("link", "set", name, "up");
  for (const n of neighbors) await ip("neigh", "replace", n.dst, "lladdr", n.lladdr, "dev", name, "nud", "permanent");
  for (const f of fdb) await run(inNodeNet(pid, ["bridge", "fdb", "replace", f.mac, "dev", name, "dst", f.dst, "self", "permanent"]));
  for (const r of routes) await run(inNodeNet(pid, routeArgv(r)));
  return { name, before, after, restored: { addresses, routes: routes.length, neighbors: neighbors.length, fdb: fdb.length } };
}
