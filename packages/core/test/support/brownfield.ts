import hostGwRecorded from "../fixtures/fleet-host-gw.json" with { type: "json" };
import vxlanRecorded from "../fixtures/fleet-vxlan.json" with { type: "json" };
import { NodeSnapshot, type Route } from "../../src/index.js";

/** node k of a brownfield fleet: pods on 10.244.k.0/24, underlay 192.168.50.(11+k), a flannel-style VTEP MAC. */
export const podSubnet = (k: number) => `10.244.${k}.0/24`;
export const underlayIp = (k: number) => `192.168.50.${11 + k}`;
export const vtepMac = (k: number) => `0a:58:0a:f4:${k.toString(16).padStart(2, "0")}:01`;
export const hostOf = (s: NodeSnapshot) => s.namespaces.find((n) => n.kind === "host")!.id;

/** Recorded node1 cloned as node k+1: every address of it renumbered, its fabric state (routes, neighbours, FDB to others, netatlas's NAT table) removed. */
function cloneNode(recorded: unknown, k: number): NodeSnapshot {
  const node1 = NodeSnapshot.array().parse(recorded).find((n) => n.node === "node1")!;
  const text = JSON.stringify(node1).replaceAll("10.244.0.0/16", "\u0000").replaceAll("10.244.0.", `10.244.${k}.`).replaceAll("\u0000", "10.244.0.0/16").replaceAll("192.168.50.11", underlayIp(k)).replaceAll('"node1', `"node${k + 1}`);
  const node = NodeSnapshot.parse(JSON.parse(text));
  const host = hostOf(node);
  const isFabric = (r: Route) => r.netns === host && r.table === "main" && (r.protocol === "157" || r.dev === "netatlas.1") && r.family === 4;
  node.routes = node.routes.filter((r) => !isFabric(r));
  node.neighbors = node.neighbors.filter((n) => n.dev !== "netatlas.1");
  node.fdb = node.fdb.filter((e) => e.dev !== "netatlas.1");
  node.nat = node.nat.filter((r) => r.table !== "netatlas");
  return node;
}

const route = (host: number, dst: string, fields: Partial<Route>): Route => ({ netns: host, family: 4, table: "main", type: "unicast", dst, protocol: "kernel", scope: "global", flags: [], ...fields });

/**
 * A fleet wired as flanneld's VXLAN backend wires it, out of the recorded lab
 * nodes: flannel.1 (VNI 1, port 8472, no learning, a MAC of its own), the
 * subnet's .0/32 on it as the VTEP address, onlink routes via each peer's
 * VTEP address without netatlas's route protocol, permanent neighbour and FDB
 * entries, and no masquerade between pods (flannel's own rules exempt the cluster).
 */
export function flannelFleet(count = 3): NodeSnapshot[] {
  return Array.from({ length: count }, (_, k) => {
    const node = cloneNode(vxlanRecorded, k);
    const host = hostOf(node);
    const rename = (name: string) => (name === "netatlas.1" ? "flannel.1" : name);
    node.links = node.links.map((l) => (l.name === "netatlas.1" ? { ...l, name: "flannel.1", alias: undefined, mac: vtepMac(k) } : l));
    node.addresses = node.addresses.map((a) => ({ ...a, ifname: rename(a.ifname) }));
    node.routes = node.routes.map((r) => (r.dev ? { ...r, dev: rename(r.dev) } : r));
    node.nat = [];
    for (let j = 0; j < count; j++) {
      if (j === k) continue;
      const vtep = `10.244.${j}.0`;
      node.routes.push(route(host, podSubnet(j), { via: vtep, dev: "flannel.1", flags: ["onlink"] }));
      node.neighbors.push({ netns: host, family: 4, address: vtep, dev: "flannel.1", lladdr: vtepMac(j), state: ["PERMANENT"], router: false });
      node.fdb.push({ netns: host, mac: vtepMac(j), dev: "flannel.1", dst: underlayIp(j), state: "permanent", flags: ["self"] });
    }
    return node;
  });
}

/** A host-gw fabric made by hand: a static route to each peer's pod subnet via its underlay address, and the bridge plugin's own masquerade. */
export function handMadeHostGwFleet(count = 3): NodeSnapshot[] {
  return Array.from({ length: count }, (_, k) => {
    const node = cloneNode(hostGwRecorded, k);
    const host = hostOf(node);
    for (let j = 0; j < count; j++) if (j !== k) node.routes.push(route(host, podSubnet(j), { via: underlayIp(j), dev: "eth0", protocol: "static" }));
    return node;
  });
}

/** The fleet's node k (node1 is 0). */
export const nodeAt = (fleet: NodeSnapshot[], k: number) => fleet.find((n) => n.node === `node${k + 1}`)!;
