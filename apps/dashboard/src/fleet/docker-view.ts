import { LinkIndex, type DockerNetwork, type NodeSnapshot } from "@netatlas/core";

/** What the page shows of a Docker network: its endpoints are the view's containers, its options are not shown. */
export type DockerNetworkSummary = Pick<DockerNetwork, "name" | "driver" | "scope" | "internal" | "subnets" | "bridge" | "masquerade" | "icc" | "mtu"> & {
  /** The short id (12 characters), as `docker network ls` shows it. */
  id: string;
};

export interface DockerNetworkView {
  node: string;
  network: DockerNetworkSummary;
  /** The kernel's side: the bridge link, its state and MTU, the addresses on it, the veth ports. */
  bridge?: { name: string; state: string; mtu: number; addresses: string[]; ports: { name: string; peer?: string }[] };
  containers: { id: string; name: string; ipv4?: string; mac?: string; state?: string; pid?: number }[];
}

/** `docker network inspect` joined to the kernel: each network's bridge, its ports and their containers. */
export function dockerNetworkViews(node: string, snapshot: NodeSnapshot): DockerNetworkView[] {
  const index = new LinkIndex(snapshot.links);
  const host = snapshot.namespaces.find((n) => n.kind === "host")?.id;
  // User-defined networks first, then Docker's own bridge, then host and none (which have no kernel side).
  const rank = (n: DockerNetwork) => (n.name === "none" || n.name === "host" ? 2 : n.name === "bridge" ? 1 : 0);
  const networks = [...snapshot.dockerNetworks].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return networks.map((network) => {
    const link = network.bridge ? snapshot.links.find((l) => l.name === network.bridge && (host === undefined || l.netns === host)) : undefined;
    const bridge = link && {
      name: link.name,
      state: link.state,
      mtu: link.mtu,
      addresses: snapshot.addresses.filter((a) => a.netns === link.netns && a.ifindex === link.ifindex).map((a) => `${a.address}/${a.prefixLength}`),
      ports: index.portsOf(link).map((p) => {
        const peer = index.peerOf(p);
        const owner = peer && snapshot.containers.find((c) => c.netns === peer.netns);
        return { name: p.name, peer: peer ? `${peer.name}${owner ? ` in ${owner.name}` : ""}` : undefined };
      }),
    };
    const containers = network.endpoints.map((e) => {
      const c = snapshot.containers.find((x) => x.id === e.containerId || x.id.startsWith(e.containerId));
      return { id: e.containerId.slice(0, 12), name: e.name, ipv4: e.ipv4, mac: e.mac, state: c?.state, pid: c?.pid };
    });
    const { name, driver, scope, internal, subnets, bridge: bridgeName, masquerade, icc, mtu } = network;
    return { node, network: { id: network.id.slice(0, 12), name, driver, scope, internal, subnets, bridge: bridgeName, masquerade, icc, mtu }, bridge, containers };
  });
}
