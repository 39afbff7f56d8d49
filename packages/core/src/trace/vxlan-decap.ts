import { ipLayer, passHook } from "./filter-step.js";
import { LINUX_DEFAULT_VXLAN_PORT } from "./vxlan-encap.js";
import { downReason, isUp, type Packet, type Position, type Walk } from "./walk.js";

/**
 * A UDP datagram for a local address on a VXLAN port is taken by the VXLAN
 * device with that VNI and port (bound to that address or to any); the inner
 * frame is accepted only if it is addressed to the device's MAC.
 */
export function vxlanDecap(walk: Walk, at: Position, inner: Packet): Position | undefined {
  const { node, netns, packet } = at;
  const where = `${node.name} (${node.netnsLabel(netns)})`;
  const device = node.snapshot.links.find((l) => {
    const vx = l.netns === netns ? l.vxlan : undefined;
    return vx !== undefined && vx.vni === packet.vni && (vx.port ?? LINUX_DEFAULT_VXLAN_PORT) === packet.port && (!vx.local || vx.local === packet.dst);
  });
  if (!device?.vxlan) {
    walk.hop(at, "vxlan-decap", [at.iif?.name], `(no vxlan device with id ${packet.vni} dstport ${packet.port})`, `UDP to ${packet.dst}:${packet.port} finds no VXLAN device`, packet);
    return walk.end("no-route", `${where} has no VXLAN device for VNI ${packet.vni} on UDP port ${packet.port}: the encapsulated packet for ${inner.dst} is dropped`);
  }
  const rule = `${device.name}: vxlan id ${device.vxlan.vni}${device.vxlan.local ? ` local ${device.vxlan.local}` : ""} dstport ${device.vxlan.port ?? LINUX_DEFAULT_VXLAN_PORT}`;
  walk.hop(at, "vxlan-decap", [at.iif?.name, device.name], rule, `decapsulated: the inner packet ${inner.src} -> ${inner.dst} comes in on ${device.name}`, inner);
  if (!isUp(device)) return walk.end("interface-down", `${where}: ${device.name} ${downReason(device)}`);
  if (packet.innerMac && device.mac && packet.innerMac.toLowerCase() !== device.mac.toLowerCase()) {
    return walk.end("neighbor-missing", `the sender's neighbour entry gives ${packet.innerMac} for this VTEP, but ${node.name}'s ${device.name} has MAC ${device.mac}: ${node.name} drops the frame`);
  }
  if (!passHook(walk, at, "ingress", ipLayer(inner), inner, { iif: device.name })) return undefined;
  return { node, netns, iif: device, packet: inner };
}
