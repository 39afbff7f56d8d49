import type { Link } from "../model/link.js";
import { netnsLabel, type Netns } from "../model/netns.js";
import type { LinkIndex } from "./link-index.js";

/** The name `ip link` shows: `eth0@if45` for a peer in another namespace, `veth0@veth1` in the same one. */
export function displayName(link: Link, index?: LinkIndex): string {
  if (link.linkIndex === undefined || link.linkIndex === 0) return link.name;
  const sameNs = link.linkNetnsid === undefined && link.linkNetnsName === undefined;
  const local = sameNs ? index?.get({ netns: link.netns, ifindex: link.linkIndex }) : undefined;
  return `${link.name}@${local ? local.name : `if${link.linkIndex}`}`;
}

/** Explains a link in words: what it is, where its other end is, which bridge it hangs on. */
export function explainLink(link: Link, index: LinkIndex, namespaces: readonly Netns[]): string {
  const nsName = (id: number) => {
    const ns = namespaces.find((n) => n.id === id);
    return ns ? netnsLabel(ns) : `netns:${id}`;
  };
  const parts = [`${displayName(link, index)} is a ${link.kind === "device" ? "device" : `${link.driver ?? link.kind} link`} in ${nsName(link.netns)}`];
  if (link.kind === "veth" && link.linkIndex) {
    const peer = index.peerOf(link);
    if (peer) {
      const where = peer.netns === link.netns ? "the same namespace" : `namespace ${nsName(peer.netns)}`;
      parts.push(`its peer is interface ${peer.ifindex} (${peer.name}) in ${where}`);
      const bridge = index.masterOf(peer);
      if (bridge) parts.push(`which is a port of bridge ${bridge.name}`);
    } else {
      parts.push(`its peer is interface ${link.linkIndex} in ${link.linkNetnsid === undefined ? "this namespace" : "another namespace"}, which this snapshot does not contain`);
    }
  }
  const master = index.masterOf(link);
  if (master) parts.push(`it is a port of ${master.kind} ${master.name}`);
  if (link.kind === "bridge") parts.push(`it has ${index.portsOf(link).length} port(s)`);
  if (link.vxlan) parts.push(`VXLAN VNI ${link.vxlan.vni}${link.vxlan.port ? ` on UDP ${link.vxlan.port}` : ""}${link.vxlan.local ? ` from ${link.vxlan.local}` : ""}`);
  return `${parts.join("; ")}.`;
}
