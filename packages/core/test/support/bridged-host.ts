import type { Address, FilterRuleset, Link, Netns, NodeSnapshot, Route } from "../../src/index.js";
import { emptySnapshot, HOST_NETNS } from "./snapshot.js";

export interface BridgeSpec {
  bridge: string;
  /** "172.17.0.0/16": the gateway is its .1. */
  subnet: string;
  /** Each gets a namespace whose eth0 is a veth to a port of the bridge. */
  containers: Array<{ name: string; ip: string }>;
}

const UP = ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"];
const prefixOf = (subnet: string) => Number(subnet.split("/")[1]);
const gatewayOf = (subnet: string) => subnet.replace(/0\/\d+$/, "1");
const route = (netns: number, dst: string, over: Partial<Route>): Route => ({ netns, family: 4, table: "main", type: "unicast", dst, protocol: "kernel", scope: "link", flags: [], ...over });
const address = (netns: number, ifindex: number, ifname: string, ip: string, prefixLength: number): Address => ({ netns, ifindex, ifname, family: 4, address: ip, prefixLength, scope: "global" });

/**
 * A host (a Docker host, or a node with a pod bridge) with eth0 on the underlay
 * 192.168.50.0/24 (default via .1), Linux bridges with their gateway address, and a
 * namespace per container whose eth0 is a veth to a bridge port: the shape dockerd and
 * the CNI bridge plugin make. Forwarding is on; filter rules as given (schema 2).
 */
export function bridgedHost(name: string, underlayIp: string, bridges: BridgeSpec[], filter: FilterRuleset = { chains: [], rules: [] }): NodeSnapshot {
  const host = HOST_NETNS;
  const links: Link[] = [
    { netns: host, ifindex: 1, name: "lo", kind: "loopback", mtu: 65536, state: "UNKNOWN", flags: ["LOOPBACK", "UP", "LOWER_UP"] },
    { netns: host, ifindex: 2, name: "eth0", kind: "device", mtu: 1500, state: "UP", flags: UP, mac: "02:00:00:00:00:01" },
  ];
  const addresses: Address[] = [address(host, 2, "eth0", underlayIp, 24)];
  const routes: Route[] = [route(host, "192.168.50.0/24", { dev: "eth0", prefsrc: underlayIp }), route(host, "0.0.0.0/0", { via: "192.168.50.1", dev: "eth0", protocol: "static", scope: "global" })];
  const namespaces: Netns[] = [];
  let portIndex = 100;
  bridges.forEach((b, i) => {
    const ifindex = 10 + i;
    const gateway = gatewayOf(b.subnet);
    links.push({ netns: host, ifindex, name: b.bridge, kind: "bridge", mtu: 1500, state: "UP", flags: UP, mac: `02:42:00:00:00:${String(10 + i).padStart(2, "0")}` });
    addresses.push(address(host, ifindex, b.bridge, gateway, prefixOf(b.subnet)));
    routes.push(route(host, b.subnet, { dev: b.bridge, prefsrc: gateway }));
    for (const c of b.containers) {
      const port = portIndex++;
      const ns = 1000 + port;
      const mac = `02:42:ac:00:00:${(port - 100).toString(16).padStart(2, "0")}`;
      namespaces.push({ id: ns, kind: "docker", names: [c.name], paths: [], processes: [{ pid: ns, comm: "sleep" }] });
      links.push(
        { netns: host, ifindex: port, name: `veth${c.name}`.slice(0, 15), kind: "veth", mtu: 1500, state: "UP", flags: UP, master: ifindex, peer: { netns: ns, ifindex: 2 } },
        { netns: ns, ifindex: 1, name: "lo", kind: "loopback", mtu: 65536, state: "UNKNOWN", flags: ["LOOPBACK", "UP", "LOWER_UP"] },
        { netns: ns, ifindex: 2, name: "eth0", kind: "veth", mtu: 1500, state: "UP", flags: UP, mac, peer: { netns: host, ifindex: port } },
      );
      addresses.push(address(ns, 2, "eth0", c.ip, prefixOf(b.subnet)), { ...address(ns, 1, "lo", "127.0.0.1", 8), scope: "host" });
      routes.push(route(ns, b.subnet, { dev: "eth0", prefsrc: c.ip }), route(ns, "0.0.0.0/0", { via: gateway, dev: "eth0", protocol: "static", scope: "global" }));
      routes.push(route(ns, c.ip, { table: "local", type: "local", dev: "eth0", scope: "host" }), route(ns, "127.0.0.0/8", { table: "local", type: "local", dev: "lo", scope: "host" }));
    }
    routes.push(route(host, gateway, { table: "local", type: "local", dev: b.bridge, scope: "host" }));
  });
  routes.push(route(host, underlayIp, { table: "local", type: "local", dev: "eth0", scope: "host" }), route(host, "127.0.0.0/8", { table: "local", type: "local", dev: "lo", scope: "host" }));
  const snapshot = emptySnapshot(name, { links, addresses, routes, filter });
  return { ...snapshot, schemaVersion: 2, namespaces: [...snapshot.namespaces, ...namespaces] };
}
