import { describe, expect, it } from "vitest";
import { parseBridgeFdb, parseIpAddresses, parseIpLinks, parseIpNeighbors, parseIpRoutes, parseNamespaceJson, parseNftNatRules } from "../src/index.js";
import { recorded } from "./fixture-snapshot.js";

const node = recorded("node");

describe("parsing iproute2 JSON recorded from a real CNI node", () => {
  it("reads links with their kind, bridge master and cross-namespace peer index", () => {
    const links = parseIpLinks(node.json.links, node.inode);
    const cni0 = links.find((l) => l.name === "cni0");
    const vxlan = links.find((l) => l.name === "flannel.1");
    const ports = links.filter((l) => l.master === cni0?.ifindex);
    expect(cni0?.kind).toBe("bridge");
    expect(ports).toHaveLength(2);
    expect(ports.every((p) => p.kind === "veth" && p.linkNetnsid !== undefined && p.linkIndex !== undefined)).toBe(true);
    expect(vxlan).toMatchObject({ kind: "vxlan", mtu: 1450, vxlan: { vni: 1, port: 8472, local: "192.168.77.10", device: "eth0", learning: false } });
    expect(links.find((l) => l.name === "lo")?.kind).toBe("loopback");
  });

  it("reads IPv4 and IPv6 addresses with prefix and scope", () => {
    const addrs = parseIpAddresses(node.json.addrs, node.inode);
    expect(addrs).toContainEqual(expect.objectContaining({ ifname: "eth0", family: 4, address: "192.168.77.10", prefixLength: 24, scope: "global" }));
    expect(addrs).toContainEqual(expect.objectContaining({ ifname: "eth0", family: 6, address: "2001:db8:77::10", prefixLength: 64 }));
    expect(addrs).toContainEqual(expect.objectContaining({ ifname: "cni0", address: "10.244.1.1", prefixLength: 24 }));
  });

  it("reads routes of every table, with default, onlink, blackhole and host routes as CIDRs", () => {
    const routes = [...parseIpRoutes(node.json.routes, node.inode, 4), ...parseIpRoutes(node.json.routes6, node.inode, 6)];
    expect(routes).toContainEqual(expect.objectContaining({ dst: "0.0.0.0/0", via: "192.168.77.1", dev: "eth0", flags: ["onlink"], table: "main" }));
    expect(routes).toContainEqual(expect.objectContaining({ dst: "10.244.2.0/24", via: "10.244.2.0", dev: "flannel.1", flags: ["onlink"] }));
    expect(routes).toContainEqual(expect.objectContaining({ type: "blackhole", dst: "10.99.0.0/16", table: "100", protocol: "77" }));
    expect(routes).toContainEqual(expect.objectContaining({ family: 6, dst: "2001:db8:99::/64", via: "2001:db8:77::1", metric: 50 }));
    const local = routes.filter((r) => r.table === "local");
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((r) => r.dst.includes("/"))).toBe(true);
  });

  it("reads the permanent VXLAN neighbour and FDB entry", () => {
    expect(parseIpNeighbors(node.json.neighs, node.inode)).toContainEqual(
      expect.objectContaining({ address: "10.244.2.0", dev: "flannel.1", lladdr: "0e:00:00:00:02:01", state: ["PERMANENT"], family: 4 }),
    );
    expect(parseBridgeFdb(node.json.fdb, node.inode)).toContainEqual(expect.objectContaining({ mac: "0e:00:00:00:02:01", dev: "flannel.1", dst: "192.168.77.11", state: "permanent" }));
  });

  it("reads native nft masquerade and the CNI plugin's iptables-nft chains", () => {
    const rules = parseNftNatRules(node.json.nft, node.inode);
    const native = rules.find((r) => r.table === "netatlas");
    expect(native).toMatchObject({ action: "masquerade", hook: "postrouting", partial: false });
    expect(native?.matches).toEqual([
      { field: "ip saddr", op: "==", value: "10.244.0.0/16" },
      { field: "ip daddr", op: "!=", value: "10.244.0.0/16" },
      { field: "oifname", op: "!=", value: "cni0" },
    ]);
    const jumps = rules.filter((r) => r.action === "jump" && r.hook === "postrouting");
    expect(jumps.map((r) => r.matches[0]?.value).sort()).toEqual(["10.244.1.2", "10.244.1.3"]);
    const cniChain = rules.filter((r) => r.chain === jumps[0]?.target);
    expect(cniChain.map((r) => r.action)).toEqual(["accept", "masquerade"]);
  });

  it("accepts fields other iproute2 versions add and fills in the ones they omit", () => {
    const links = parseIpLinks([{ ifindex: 7, ifname: "x", future_field: { a: 1 } }], 1);
    expect(links[0]).toMatchObject({ ifindex: 7, name: "x", kind: "device", mtu: 0, state: "UNKNOWN", flags: [] });
    const routes = parseIpRoutes([{ dst: "10.0.0.1", dev: "x" }], 1);
    expect(routes[0]).toMatchObject({ dst: "10.0.0.1/32", table: "main", protocol: "boot", type: "unicast", scope: "global", family: 4 });
  });

  it("tells a route's family by its router preference or addresses, never by a next hop of the other family", () => {
    // `ip -j route show table all` lists both families; the IPv6 ones come again in `ip -6 -j route`.
    const both = [
      { dst: "default", via: { family: "inet6", host: "fe80::1" }, dev: "eth0", flags: [] },
      { dst: "default", dev: "eth0", metric: 1024, flags: [], pref: "medium" },
    ];
    const state = parseNamespaceJson({ links: [], addrs: [], routes: both, routes6: [both[1]], neighs: [] }, 1);
    expect(state.routes.map((r) => `${r.family} ${r.dst} ${r.via ?? "-"}`)).toEqual(["4 0.0.0.0/0 fe80::1", "6 ::/0 -"]);
  });

  it("names the entry and field of malformed input", () => {
    expect(() => parseIpLinks([{ ifindex: 1, ifname: "lo" }, { ifindex: "two" }], 1)).toThrow(/entry 1: ifindex/);
    expect(() => parseIpRoutes({ not: "a list" }, 1)).toThrow(/expected a JSON array/);
    expect(() => parseNftNatRules({ tables: [] }, 1)).toThrow(/nftables/);
  });
});
