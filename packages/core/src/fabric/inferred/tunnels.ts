import type { Link } from "../../model/link.js";
import type { NodeSnapshot } from "../../model/snapshot.js";
import { LINUX_DEFAULT_VXLAN_PORT } from "../../trace/vxlan-encap.js";
import { isUp } from "../../trace/walk.js";
import type { Tunnel, TunnelKind } from "./inferred-fabric.js";

/** The kernel's kinds (`info_kind`) of the IP-in-IP and GRE tunnels a fabric uses (flannel's ipip backend, hand-made GRE). */
const TUNNEL_DRIVERS: Record<string, TunnelKind> = { ipip: "ipip", gre: "gre", gretap: "gre" };

export function tunnelKindOf(link: Link): TunnelKind | undefined {
  return link.kind === "vxlan" ? "vxlan" : link.driver ? TUNNEL_DRIVERS[link.driver] : undefined;
}

/** The host namespace's tunnel devices, with what other nodes need to reach them. */
export function tunnelsOf(snapshot: NodeSnapshot, host: number | undefined): Tunnel[] {
  return snapshot.links.flatMap((link): Tunnel[] => {
    const kind = link.netns === host ? tunnelKindOf(link) : undefined;
    if (!kind) return [];
    const addresses = snapshot.addresses.filter((a) => a.netns === link.netns && a.ifindex === link.ifindex && a.scope === "global").map((a) => `${a.address}/${a.prefixLength}`);
    const vx = link.vxlan;
    return [
      {
        kind,
        dev: link.name,
        ...(vx ? { vni: vx.vni, port: vx.port ?? LINUX_DEFAULT_VXLAN_PORT } : {}),
        ...(vx?.local ? { local: vx.local } : {}),
        ...(link.mac ? { mac: link.mac.toLowerCase() } : {}),
        mtu: link.mtu,
        up: isUp(link),
        ...(vx?.device ? { lower: vx.device } : {}),
        addresses,
      },
    ];
  });
}
