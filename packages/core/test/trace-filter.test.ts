import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNftFilter, prepareFleet, trace, type FilterChain, type FilterRule, type FilterRuleset, type NodeSnapshot } from "../src/index.js";
import { bridgedHost } from "./support/bridged-host.js";
import { HOST_NETNS } from "./support/snapshot.js";

// What dockerd (and kube-proxy, the CNI firewall plugin) write with iptables-nft, recorded by record-firewall.ts.
const fixture = JSON.parse(readFileSync(new URL("./fixtures/firewall.json", import.meta.url), "utf8")) as { ruleset: unknown; text: string };
const recorded = parseNftFilter(fixture.ruleset, HOST_NETNS, fixture.text);
const dockerRules: FilterRuleset = { chains: recorded.chains.filter((c) => c.family === "ip"), rules: recorded.rules.filter((r) => r.family === "ip") };

/** The lab's Docker host: node2-solo on the default bridge, node2-pause on the user network labnet (bridge labnet0), a quiet network with icc=false. */
const dockerHost = (filter: FilterRuleset = dockerRules) =>
  bridgedHost(
    "node2",
    "192.168.50.12",
    [
      { bridge: "docker0", subnet: "172.17.0.0/16", containers: [{ name: "node2-solo", ip: "172.17.0.2" }] },
      { bridge: "labnet0", subnet: "172.30.0.0/24", containers: [{ name: "node2-pause", ip: "172.30.0.2" }] },
      { bridge: "br-quiet", subnet: "172.31.0.0/24", containers: [{ name: "quiet-a", ip: "172.31.0.2" }, { name: "quiet-b", ip: "172.31.0.3" }] },
    ],
    filter,
  );

/** A plain node on the same underlay that routes the Docker ranges to node2. */
function peerNode(): NodeSnapshot {
  const node = bridgedHost("node1", "192.168.50.11", []);
  for (const dst of ["172.17.0.0/16", "172.30.0.0/24"]) node.routes.push({ netns: HOST_NETNS, family: 4, table: "main", type: "unicast", dst, via: "192.168.50.12", dev: "eth0", protocol: "static", scope: "global", flags: [] });
  return node;
}

const host = (s: NodeSnapshot) => s.namespaces.find((n) => n.kind === "host")!;
const chain = (name: string, over: Partial<FilterChain> = {}): FilterChain => ({ netns: HOST_NETNS, family: "inet", table: "hand", name, ...over });
const rule = (over: Partial<FilterRule>): FilterRule => ({ netns: HOST_NETNS, family: "inet", table: "hand", chain: "fwd", matches: [], verdict: "accept", text: "accept", opaque: false, ...over });

describe("trace through the firewall", () => {
  it("finds dockerd's isolation drop between two Docker networks, where reading only NAT said delivered", () => {
    const r = trace([dockerHost()], { ip: "172.17.0.2" }, { ip: "172.30.0.2", protocol: "icmp" });
    expect(r.forward.verdict).toMatchObject({
      kind: "filtered",
      rule: { node: "node2", netns: HOST_NETNS, family: "ip", table: "filter", chain: "DOCKER-ISOLATION-STAGE-2", hook: "forward", handle: 21, text: 'oifname "labnet0" counter drop' },
    });
    expect(r.forward.verdict.message).toBe('node2 (host) drops the packet at the forward hook: rule handle 21 of ip filter DOCKER-ISOLATION-STAGE-2: oifname "labnet0" counter drop');
    expect(r.forward.hops.at(-1)).toMatchObject({ action: "filter", interfaces: ["docker0", "labnet0"], filter: [{ handle: 21 }] });
    expect(r.reverse).toBeUndefined();
  });

  it("keeps today's answer for a snapshot without filter data (schema version 1)", () => {
    const v1 = { ...dockerHost(), schemaVersion: 1 as const, filter: undefined };
    expect(trace([v1], { ip: "172.17.0.2" }, { ip: "172.30.0.2", protocol: "icmp" }).forward.verdict.kind).toBe("delivered");
  });

  it("lets a container's connection out and its reply back in (established), but drops a new connection in by the FORWARD policy", () => {
    const fleet = prepareFleet([dockerHost(), peerNode()]);
    const out = trace(fleet, { ip: "172.17.0.2" }, { ip: "192.168.50.11", protocol: "tcp", port: 8080 });
    expect(out.forward.verdict.kind).toBe("delivered");
    expect(out.reverse?.verdict.kind).toBe("delivered");
    const inbound = trace(fleet, { ip: "192.168.50.11" }, { ip: "172.17.0.2", protocol: "tcp", port: 8080 });
    expect(inbound.forward.verdict).toMatchObject({ kind: "filtered", rule: { chain: "FORWARD", hook: "forward", text: "policy drop" } });
    expect(inbound.forward.verdict.rule?.handle).toBeUndefined();
    expect(inbound.forward.verdict.message).toContain("the policy drop of ip filter FORWARD (no rule accepted the packet)");
    // The port dockerd publishes is let in by its DOCKER chain.
    expect(trace(fleet, { ip: "192.168.50.11" }, { ip: "172.17.0.2", protocol: "tcp", port: 80 }).forward.verdict.kind).toBe("delivered");
  });

  it("checks the reply path too: a rule that drops only replies stops the reverse walk", () => {
    const node2 = dockerHost({
      chains: [...dockerRules.chains, chain("fwd", { hook: "forward", type: "filter", priority: -5, policy: "accept" })],
      rules: [...dockerRules.rules, rule({ handle: 3, matches: [{ field: "ct state", op: "==", values: ["established"] }, { field: "tcp sport", op: "==", values: ["8080"] }], verdict: "drop", text: "ct state established tcp sport 8080 drop" })],
    });
    const r = trace([node2, peerNode()], { ip: "172.17.0.2" }, { ip: "192.168.50.11", protocol: "tcp", port: 8080 });
    expect(r.forward.verdict.kind).toBe("delivered");
    expect(r.reverse?.verdict).toMatchObject({ kind: "filtered", rule: { node: "node2", table: "hand", chain: "fwd", handle: 3 } });
  });

  it("calls a path uncertain when a rule it cannot decide is what lets the packet through, naming the rule and why", () => {
    const node2 = dockerHost({
      chains: [chain("fwd", { hook: "forward", type: "filter", priority: 0, policy: "drop" })],
      rules: [rule({ handle: 7, matches: [{ field: "ip saddr", op: "==", values: ["172.17.0.0/16"] }], opaque: true, reason: "limit rate 10/second", text: "ip saddr 172.17.0.0/16 limit rate 10/second accept" })],
    });
    const r = trace([node2], { ip: "172.17.0.2" }, { ip: "172.30.0.2", protocol: "icmp" });
    expect(r.forward.verdict).toMatchObject({ kind: "uncertain", dependsOn: [{ node: "node2", chain: "fwd", handle: 7, reason: "limit rate 10/second", hook: "forward" }], rule: { chain: "fwd", text: "policy drop" } });
    expect(r.forward.hops[r.forward.verdict.hop!]?.action).toBe("filter");
    expect(r.forward.verdict.message).toMatch(/^delivered to node2-pause on node2 .*, but only if node2 \(host\) at the forward hook: it depends on inet hand fwd handle 7 "ip saddr 172\.17\.0\.0\/16 limit rate 10\/second accept" \(limit rate 10\/second\)/);
    // The reply (from 172.30.0.2) is outside the rule's known condition: dropped by the policy, for certain.
    expect(r.reverse?.verdict.kind).toBe("filtered");
  });

  it("with br_netfilter, filters frames a bridge forwards between its own ports in the ip hooks (icc=false); without it, they pass", () => {
    const node2 = dockerHost();
    const r = () => trace([node2], { ip: "172.31.0.2" }, { ip: "172.31.0.3", protocol: "icmp" });
    expect(r().forward.verdict.kind).toBe("delivered");
    host(node2).bridgeNfCallIptables = true;
    expect(r().forward.verdict).toMatchObject({ kind: "filtered", rule: { chain: "FORWARD", handle: 16, hook: "forward" } });
    expect(r().forward.hops.at(-1)?.interfaces).toEqual(["br-quiet", "br-quiet"]);
  });

  it("drops a packet whose route back leaves by another interface under strict rp_filter, and lets it pass under loose", () => {
    const node1 = bridgedHost("node1", "192.168.50.11", [{ bridge: "docker0", subnet: "172.17.0.0/16", containers: [] }]);
    const fleet = [dockerHost({ chains: [], rules: [] }), node1];
    const send = () => trace(fleet, { ip: "172.17.0.2" }, { ip: "192.168.50.11", protocol: "icmp" });
    expect(send().forward.verdict.kind).toBe("delivered");
    host(node1).rpFilter = { all: 0, default: 1, interfaces: { eth0: 1, lo: 0 } };
    const strict = send();
    expect(strict.forward.verdict).toMatchObject({ kind: "rp-filtered", rpFilter: { node: "node1", interface: "eth0", mode: "strict", route: "172.17.0.0/16 dev docker0 src 172.17.0.1" } });
    expect(strict.forward.verdict.message).toContain("the route back to 172.17.0.2 (172.17.0.0/16 dev docker0 src 172.17.0.1) leaves by docker0");
    expect(strict.forward.hops.at(-1)?.action).toBe("rp-filter");
    host(node1).rpFilter = { all: 2, default: 1, interfaces: { eth0: 1 } };
    expect(send().forward.verdict.kind).toBe("delivered");
  });
});

describe("filter evaluation at scale", () => {
  it("traces through 20,000 kube-proxy-like rules in a few milliseconds per path", () => {
    const services: FilterRule[] = [];
    for (let i = 0; i < 20_000; i++) {
      const ip = `10.96.${Math.floor(i / 250)}.${(i % 250) + 1}`;
      services.push({ netns: HOST_NETNS, family: "ip", table: "filter", chain: "KUBE-SERVICES", handle: 100 + i, matches: [{ field: "ip daddr", op: "==", values: [ip] }, { field: "tcp dport", op: "==", values: ["80"] }], verdict: "reject", text: `ip daddr ${ip} tcp dport 80 reject`, opaque: false });
    }
    const node2 = dockerHost({
      chains: [...dockerRules.chains, { netns: HOST_NETNS, family: "ip", table: "filter", name: "KUBE-SERVICES" }],
      rules: [{ netns: HOST_NETNS, family: "ip", table: "filter", chain: "FORWARD", handle: 99, matches: [], verdict: "jump", target: "KUBE-SERVICES", text: "jump KUBE-SERVICES", opaque: false }, ...dockerRules.rules, ...services],
    });
    const fleet = prepareFleet([node2, peerNode()]);
    const path = () => trace(fleet, { ip: "172.17.0.2" }, { ip: "192.168.50.11", protocol: "tcp", port: 80 });
    expect(path().forward.verdict.kind).toBe("delivered");
    const service = trace(fleet, { ip: "172.17.0.2" }, { ip: "10.96.40.7", protocol: "tcp", port: 80 });
    expect(service.forward.verdict).toMatchObject({ kind: "filtered", rule: { chain: "KUBE-SERVICES", handle: 100 + 40 * 250 + 6 } });
    expect(service.forward.verdict.message).toContain("rejects the packet");
    const runs = 200;
    const started = performance.now();
    for (let i = 0; i < runs; i++) path();
    const perPath = (performance.now() - started) / runs;
    expect(perPath).toBeLessThan(5);
  });
});
