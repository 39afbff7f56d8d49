import type { NodeSnapshot } from "@netatlas/core";

/** A spec node as the editor prefills it from what an agent reports. */
export interface SuggestedNode {
  name: string;
  underlayIp: string;
  underlayDev: string;
}

/**
 * The node's underlay as its host namespace shows it: the device of the
 * default route (else the first device with a global IPv4 address that is not
 * a bridge or VXLAN device) and its IPv4 address.
 */
export function suggestNode(snapshot: NodeSnapshot): SuggestedNode | undefined {
  const host = snapshot.namespaces.find((n) => n.kind === "host")?.id;
  if (host === undefined) return undefined;
  const v4 = snapshot.addresses.filter((a) => a.netns === host && a.family === 4 && a.scope === "global");
  const virtual = new Set(snapshot.links.filter((l) => l.netns === host && (l.kind === "bridge" || l.kind === "vxlan" || l.kind === "veth")).map((l) => l.name));
  const defaultDev = snapshot.routes.find((r) => r.netns === host && r.table === "main" && (r.dst === "default" || r.dst === "0.0.0.0/0") && r.dev)?.dev;
  const address = v4.find((a) => a.ifname === defaultDev) ?? v4.find((a) => !virtual.has(a.ifname));
  if (!address) return undefined;
  return { name: snapshot.node.toLowerCase(), underlayIp: address.address, underlayDev: address.ifname };
}
