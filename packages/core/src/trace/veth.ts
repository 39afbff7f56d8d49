import type { Link } from "../model/link.js";
import { bridgeForward } from "./bridge.js";
import { ipLayer, passHook } from "./filter-step.js";
import { refusedOnArrival } from "./mtu.js";
import type { NodeIndex } from "./node-index.js";
import { underlayOut } from "./underlay.js";
import { downReason, isUp, type Packet, type Position, type Walk } from "./walk.js";

/**
 * A frame sent into a veth comes out of its peer, in the peer's namespace; if
 * the peer is a bridge port the bridge takes it. A veth whose peer is in no
 * snapshot (a node's uplink into the underlay) leads out of the node.
 */
export function crossVeth(walk: Walk, node: NodeIndex, veth: Link, nextHop: string, packet: Packet): Position | undefined {
  const peer = node.links.peerOf(veth);
  if (!peer) return underlayOut(walk, { node, netns: veth.netns, packet }, veth, nextHop, packet);
  const at = { node, netns: peer.netns };
  walk.hop(at, "veth", [veth.name, peer.name], `${veth.name}@if${peer.ifindex} -> ${peer.name} (ifindex ${peer.ifindex} in ${node.netnsLabel(peer.netns)})`, `veth pair: out of ${veth.name} in ${node.netnsLabel(veth.netns)}, in at ${peer.name}`, packet);
  if (!isUp(peer)) return walk.end("interface-down", `${node.name}: the far end of ${veth.name}, ${peer.name} in ${node.netnsLabel(peer.netns)}, ${downReason(peer)}`);
  const refused = refusedOnArrival(peer, packet);
  if (refused) return walk.end("mtu-too-small", `${refused} (${node.name}, ${node.netnsLabel(peer.netns)}; the veth checks the frame on arrival)`);
  if (!passHook(walk, at, "ingress", ipLayer(packet), packet, { iif: peer.name })) return undefined;
  const bridge = node.links.masterOf(peer);
  if (bridge?.kind === "bridge") return bridgeForward(walk, node, bridge, peer, nextHop, packet);
  return { node, netns: peer.netns, iif: peer, packet };
}
