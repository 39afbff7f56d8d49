import type { DockerNetwork, NodeSnapshot } from "../../src/index.js";
import { emptySnapshot, HOST_NETNS, nodeLinks } from "./snapshot.js";

export { HOST_NETNS };

export function dockerNetwork(name: string, subnet: string, over: Partial<DockerNetwork> = {}): DockerNetwork {
  const id = name.padEnd(64, "a");
  return { id, name, driver: "bridge", scope: "local", internal: false, subnets: [{ subnet, gateway: subnet.replace(/0\/\d+$/, "1") }], bridge: `br-${id.slice(0, 12)}`, options: {}, endpoints: [], ...over };
}

/**
 * A Docker host as dockerd starts it (docker0, host, none), with eth0 on the
 * underlay and, like a node that also runs pods, the CNI plugin's cni0 and a
 * static route netatlas does not own.
 */
export function dockerHost(name: string, underlayIp: string, networks: DockerNetwork[] = []): NodeSnapshot {
  const host = HOST_NETNS;
  return emptySnapshot(name, {
    links: nodeLinks(),
    addresses: [
      { netns: host, ifindex: 2, ifname: "eth0", family: 4, address: underlayIp, prefixLength: 24, scope: "global" },
      { netns: host, ifindex: 3, ifname: "cni0", family: 4, address: "10.244.0.1", prefixLength: 24, scope: "global" },
    ],
    routes: [
      { netns: host, family: 4, table: "main", type: "unicast", dst: "192.168.50.0/24", dev: "eth0", protocol: "kernel", scope: "link", flags: [], prefsrc: underlayIp },
      { netns: host, family: 4, table: "main", type: "unicast", dst: "10.244.0.0/24", dev: "cni0", protocol: "kernel", scope: "link", flags: [], prefsrc: "10.244.0.1" },
      { netns: host, family: 4, table: "main", type: "unicast", dst: "10.244.1.0/24", via: "192.168.50.11", dev: "eth0", protocol: "static", scope: "global", flags: [] },
    ],
    dockerNetworks: [
      dockerNetwork("bridge", "172.17.0.0/16", { bridge: "docker0" }),
      { ...dockerNetwork("host", "0.0.0.0/0"), driver: "host", subnets: [], bridge: undefined },
      { ...dockerNetwork("none", "0.0.0.0/0"), driver: "null", subnets: [], bridge: undefined },
      ...networks,
    ],
  });
}
