import { NETATLAS_VXLAN_DEVICE, NodeSnapshot, vxlanMac } from "@netatlas/core";

const POD_CIDR = "10.244.0.0/16";
export const syntheticUnderlayIp = (k: number) => `192.168.50.${11 + k}`;
const vtep = (k: number) => `10.244.${k}.0`;

/**
 * `count` nodes cloned from node1 of a recorded VXLAN fleet: node k gets pod
 * subnet 10.244.k.0/24, underlay 192.168.50.(11+k), its own VXLAN MAC, and the
 * full mesh of fabric routes, neighbour and FDB entries to every other node, as
 * netatlas's own intent would give it.
 */
export function syntheticFleet(recorded: NodeSnapshot[], count: number): NodeSnapshot[] {
  if (count > 240) throw new Error(`a synthetic fleet has at most 240 nodes (192.168.50.0/24 underlay), not ${count}`);
  const template = recorded.find((n) => n.node === "node1");
  if (!template) throw new Error("the recorded fleet has no node1");
  const text = JSON.stringify(template);
  return Array.from({ length: count }, (_, k) => {
    const name = `node${k + 1}`;
    const renumbered = text
      .replaceAll(POD_CIDR, "\u0000")
      .replaceAll("10.244.0.", `10.244.${k}.`)
      .replaceAll("\u0000", POD_CIDR)
      .replaceAll("192.168.50.11", syntheticUnderlayIp(k))
      .replaceAll('"node1', `"${name}`);
    const node = NodeSnapshot.parse(JSON.parse(renumbered));
    const host = node.namespaces.find((ns) => ns.kind === "host")!.id;
    const vxlan = node.links.find((l) => l.name === NETATLAS_VXLAN_DEVICE)!;
    vxlan.mac = vxlanMac(name);
    node.routes = node.routes.filter((r) => r.dev !== NETATLAS_VXLAN_DEVICE || r.table !== "main");
    node.neighbors = node.neighbors.filter((n) => n.dev !== NETATLAS_VXLAN_DEVICE);
    node.fdb = node.fdb.filter((e) => e.dev !== NETATLAS_VXLAN_DEVICE);
    for (let j = 0; j < count; j++) {
      if (j === k) continue;
      const peerMac = vxlanMac(`node${j + 1}`);
      node.routes.push({ netns: host, family: 4, table: "main", type: "unicast", dst: `10.244.${j}.0/24`, via: vtep(j), dev: NETATLAS_VXLAN_DEVICE, protocol: "157", scope: "global", flags: ["onlink"] });
      node.neighbors.push({ netns: host, family: 4, address: vtep(j), dev: NETATLAS_VXLAN_DEVICE, lladdr: peerMac, state: ["PERMANENT"], router: false });
      node.fdb.push({ netns: host, mac: peerMac, dev: NETATLAS_VXLAN_DEVICE, dst: syntheticUnderlayIp(j), state: "permanent", flags: ["self"] });
    }
    return node;
  });
}

/**
 * `count` nodes taken from `fleet` in turn, named node1..node<count>: more agents than
 * the synthetic fleet's /24 underlay has nodes. A copy shares every list with its
 * original; only its name differs (their fabric entries point at the original's peers).
 */
export function renamedCopies(fleet: readonly NodeSnapshot[], count: number): NodeSnapshot[] {
  if (!fleet.length) throw new Error("renamedCopies: the fleet to copy is empty");
  return Array.from({ length: count }, (_, k) => ({ ...(fleet[k % fleet.length] as NodeSnapshot), node: `node${k + 1}` }));
}
