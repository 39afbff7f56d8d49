import { nthAddress, parseCidr, VXLAN_OVERHEAD } from "@netatlas/core";
import { run } from "@netatlas/linux";
import { inNode, inNodeNet } from "./enter.js";
import { readVxlanLink, type VxlanLink } from "./node-kernel.js";
import { POD_CIDR, UNDERLAY } from "./plan-lab.js";
import { addVxlanArgv, randomVtepMac, type VxlanSettings } from "./vxlan-device.js";

/** flanneld's VXLAN backend with its defaults (kube-flannel's net-conf.json: `"Backend": {"Type": "vxlan"}`). */
export const FLANNEL = { device: "flannel.1", vni: 1, port: 8472 } as const;

/** What a brownfield fabric needs of a node: where it is on the underlay and which pod subnet it leases. */
export interface FabricNode {
  name: string;
  pid: number;
  underlayIp: string;
  podCidr: string;
}

/** A node's VTEP address, its lease's network address (10.244.1.0 for 10.244.1.0/24): never a pod's. */
export const vtepOf = (subnet: string) => nthAddress(parseCidr(subnet), 0n).toString();

/** flannel's vxlanLinksIncompat: the settings an existing device must share to be kept. */
const compatible = (have: VxlanLink, want: VxlanSettings) => {
  const d = have.linkinfo.info_data;
  return d.id === want.vni && d.port === want.port && d.local === want.local && d.link === want.dev && d.learning === want.learning;
};

/**
 * flanneld's start on a node: flannel.1 is kept when it exists with flanneld's
 * settings (ensureLink), re-created with the MAC it had otherwise (flanneld keeps
 * the MAC of its lease), made with a random MAC when missing; then its lease's
 * VTEP address (/32) and up. Returns the MAC flanneld publishes in its lease.
 */
export async function ensureFlannelDevice(node: FabricNode): Promise<string> {
  const ip = (...args: string[]) => run(inNodeNet(node.pid, ["ip", ...args]));
  const have = await readVxlanLink(node.pid, FLANNEL.device);
  const want: VxlanSettings = {
    name: FLANNEL.device,
    vni: FLANNEL.vni,
    port: FLANNEL.port,
    local: node.underlayIp,
    dev: UNDERLAY.dev,
    mtu: UNDERLAY.mtu - VXLAN_OVERHEAD,
    mac: have?.address ?? randomVtepMac(),
    learning: false,
  };
  if (have && !compatible(have, want)) await ip("link", "del", FLANNEL.device);
  if (!have || !compatible(have, want)) await run(inNodeNet(node.pid, addVxlanArgv(want)));
  await ip("addr", "replace", `${vtepOf(node.podCidr)}/32`, "dev", FLANNEL.device);
  await ip("link", "set", FLANNEL.device, "up");
  return want.mac;
}

/**
 * What flanneld does for each other node's lease (handleSubnetEvents): the
 * peer's VTEP address answers at its MAC (permanent neighbour), that MAC lives
 * at the peer's underlay address (permanent FDB entry), and the peer's subnet
 * goes via its VTEP address, onlink, with the kernel's default protocol.
 */
export async function wireFlannelPeer(node: FabricNode, peer: FabricNode, peerMac: string): Promise<void> {
  const vtep = vtepOf(peer.podCidr);
  const dev = FLANNEL.device;
  await run(inNodeNet(node.pid, ["ip", "neigh", "replace", vtep, "lladdr", peerMac, "dev", dev, "nud", "permanent"]));
  await run(inNodeNet(node.pid, ["bridge", "fdb", "replace", peerMac, "dev", dev, "dst", peer.underlayIp, "self", "permanent"]));
  await run(inNodeNet(node.pid, ["ip", "route", "replace", peer.podCidr, "via", vtep, "dev", dev, "onlink"]));
}

/**
 * flanneld's masquerade and forward rules (pkg/trafficmngr/iptables, with
 * --ip-masq as kube-flannel runs it): pod-to-pod traffic keeps its addresses,
 * what leaves the pod CIDR is masqueraded, forwarding of pod traffic is allowed.
 * Installed once, when the node's flanneld "starts": --noflush keeps the
 * node's other rules (Docker's), and a second run would add them twice.
 */
export function flannelIptables(subnet: string): string {
  const masq = (rule: string) => `-A FLANNEL-POSTRTG ${rule} -m comment --comment "flanneld masq"`;
  return [
    "*nat",
    ":FLANNEL-POSTRTG - [0:0]",
    `-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG`,
    `${masq("-m mark --mark 0x4000/0x4000")} -j RETURN`,
    `${masq(`-s ${subnet} -d ${POD_CIDR}`)} -j RETURN`,
    `${masq(`-s ${POD_CIDR} -d ${subnet}`)} -j RETURN`,
    `${masq(`! -s ${POD_CIDR} -d ${subnet}`)} -j RETURN`,
    `${masq(`-s ${POD_CIDR} ! -d 224.0.0.0/4`)} -j MASQUERADE --random-fully`,
    `${masq(`! -s ${POD_CIDR} -d ${POD_CIDR}`)} -j MASQUERADE --random-fully`,
    "COMMIT",
    "*filter",
    ":FLANNEL-FWD - [0:0]",
    `-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD`,
    `-A FLANNEL-FWD -s ${POD_CIDR} -m comment --comment "flanneld forward" -j ACCEPT`,
    `-A FLANNEL-FWD -d ${POD_CIDR} -m comment --comment "flanneld forward" -j ACCEPT`,
    "COMMIT",
    "",
  ].join("\n");
}

export async function installFlannelIptables(node: FabricNode): Promise<void> {
  // The node's own mount namespace: iptables takes its lock in the node's /run.
  await run(inNode(node.pid, ["iptables-restore", "-w", "5", "--noflush"]), { input: flannelIptables(node.podCidr) });
}

/**
 * Every node's flanneld converging on the others' leases: each node's device
 * first (a lease publishes its MAC), then every node's entries towards every
 * peer. Safe to repeat: what is right stays, what is wrong is replaced, as
 * flanneld does when it restarts or a lease changes.
 */
export async function wireFlannel(nodes: readonly FabricNode[]): Promise<void> {
  const macs = await Promise.all(nodes.map(ensureFlannelDevice));
  await Promise.all(
    nodes.map(async (node) => {
      for (const [i, peer] of nodes.entries()) if (peer.name !== node.name) await wireFlannelPeer(node, peer, macs[i] as string);
    }),
  );
}
