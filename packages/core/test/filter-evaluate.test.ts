import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateHook, FilterTables, parseNftFilter, type FilterChain, type FilterPacket, type FilterRule } from "../src/index.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/firewall.json", import.meta.url), "utf8")) as { ruleset: unknown; text: string };
const recorded = parseNftFilter(fixture.ruleset, 1, fixture.text);
/** Only the tables iptables-nft wrote (Docker, kube-proxy, CNI), without the hand-made ones. */
const iptablesOnly = new FilterTables(
  recorded.chains.filter((c) => c.family === "ip"),
  recorded.rules.filter((r) => r.family === "ip"),
);

const packet = (over: Partial<FilterPacket>): FilterPacket => ({ src: "172.17.0.2", dst: "172.30.0.2", protocol: "icmp", sport: undefined, dport: undefined, ct: { state: "new", direction: "original" }, mark: 0, ...over });
const forward = (tables: FilterTables, p: Partial<FilterPacket>) => evaluateHook(tables, tables.baseChains("ip", "forward"), packet(p));

const chain = (name: string, over: Partial<FilterChain> = {}): FilterChain => ({ netns: 1, family: "inet", table: "t", name, ...over });
const rule = (chainName: string, over: Partial<FilterRule>): FilterRule => ({ netns: 1, family: "inet", table: "t", chain: chainName, matches: [], verdict: "accept", text: over.verdict ?? "accept", opaque: false, ...over });

describe("evaluating a hook's base chains", () => {
  it("drops a packet from docker0 to another Docker network in DOCKER-ISOLATION-STAGE-2, as dockerd means it to", () => {
    const decision = forward(iptablesOnly, { iif: "docker0", oif: "labnet0" });
    expect(decision).toMatchObject({ kind: "drop", stop: { chain: { name: "DOCKER-ISOLATION-STAGE-2" }, rule: { handle: 21 }, verdict: "drop" } });
  });

  it("accepts what leaves a Docker network for elsewhere and the reply coming back (established), and drops a new connection in by the FORWARD policy", () => {
    expect(forward(iptablesOnly, { iif: "docker0", oif: "eth0", dst: "192.0.2.9" })).toMatchObject({ kind: "pass", uncertain: [] });
    expect(forward(iptablesOnly, { iif: "eth0", oif: "docker0", src: "192.0.2.9", dst: "172.17.0.2", ct: { state: "established", direction: "reply" } })).toMatchObject({ kind: "pass", uncertain: [] });
    const inbound = forward(iptablesOnly, { iif: "eth0", oif: "docker0", src: "192.0.2.9", dst: "172.17.0.3", protocol: "tcp", dport: 80, sport: "ephemeral" });
    expect(inbound).toMatchObject({ kind: "drop", stop: { chain: { name: "FORWARD", policy: "drop" }, verdict: "drop" } });
    expect(inbound.kind === "drop" && inbound.stop.rule).toBeUndefined();
  });

  it("accepts a published port through the DOCKER chain, and drops traffic inside an icc=false network", () => {
    expect(forward(iptablesOnly, { iif: "eth0", oif: "docker0", dst: "172.17.0.2", protocol: "tcp", dport: 80, sport: "ephemeral" })).toMatchObject({ kind: "pass" });
    expect(forward(iptablesOnly, { iif: "br-quiet", oif: "br-quiet" })).toMatchObject({ kind: "drop", stop: { rule: { handle: 16 } } });
  });

  it("follows a rule it cannot decide both ways: uncertain when the ways differ, certain when they agree", () => {
    const tables = new FilterTables(
      [chain("fwd", { hook: "forward", type: "filter", priority: 0, policy: "drop" })],
      [rule("fwd", { handle: 1, matches: [{ field: "ip saddr", op: "==", values: ["10.0.0.0/8"] }], opaque: true, reason: "limit rate 5/second", text: "ip saddr 10.0.0.0/8 limit rate 5/second accept" })],
    );
    const limited = evaluateHook(tables, tables.baseChains("ip", "forward"), packet({ src: "10.1.1.1" }));
    expect(limited).toMatchObject({ kind: "pass", uncertain: [{ dependsOn: [{ handle: 1, reason: "limit rate 5/second" }], stop: { chain: { name: "fwd" }, verdict: "drop" } }] });
    // A packet the rule's known condition excludes is dropped by the policy, for certain.
    expect(evaluateHook(tables, tables.baseChains("ip", "forward"), packet({ src: "192.0.2.1" }))).toMatchObject({ kind: "drop" });
    const agreeing = new FilterTables([chain("fwd", { hook: "forward", type: "filter", priority: 0, policy: "accept" })], [rule("fwd", { handle: 1, opaque: true, reason: "xt match statistic", verdict: "accept" })]);
    expect(evaluateHook(agreeing, agreeing.baseChains("ip", "forward"), packet({}))).toEqual({ kind: "pass", uncertain: [], mark: 0 });
  });

  it("runs every base chain of a hook in priority order: an accept ends only its own chain, a drop in a later one still drops", () => {
    const tables = new FilterTables(
      [chain("late", { hook: "forward", type: "filter", priority: 10, policy: "accept" }), chain("early", { hook: "forward", type: "filter", priority: -10, policy: "accept" }), chain("nat", { hook: "forward", type: "nat", priority: 0, policy: "drop" })],
      [rule("early", { handle: 1, verdict: "accept" }), rule("late", { handle: 2, matches: [{ field: "oifname", op: "==", values: ["veth*"] }], verdict: "drop", text: 'oifname "veth*" drop' })],
    );
    expect(tables.baseChains("ip", "forward").map((c) => c.chain.name)).toEqual(["early", "late"]);
    expect(evaluateHook(tables, tables.baseChains("ip", "forward"), packet({ oif: "veth1a2b" }))).toMatchObject({ kind: "drop", stop: { chain: { name: "late" }, rule: { handle: 2 } } });
    expect(evaluateHook(tables, tables.baseChains("ip", "forward"), packet({ oif: "eth0" }))).toMatchObject({ kind: "pass" });
  });

  it("follows jump, goto and return, and a mark the rules set", () => {
    const tables = new FilterTables(
      [chain("base", { hook: "forward", type: "filter", priority: 0, policy: "accept" }), chain("marker"), chain("deny")],
      [
        rule("base", { handle: 1, verdict: "jump", target: "marker" }),
        rule("base", { handle: 2, matches: [{ field: "mark", op: "==", values: ["2"] }], verdict: "goto", target: "deny" }),
        rule("base", { handle: 3, verdict: "accept" }),
        rule("marker", { handle: 4, matches: [{ field: "tcp dport", op: "==", values: ["1-1023"] }], setsMark: 2, verdict: "return" }),
        rule("deny", { handle: 5, verdict: "drop" }),
      ],
    );
    const hook = (dport: number) => evaluateHook(tables, tables.baseChains("ip", "forward"), packet({ protocol: "tcp", dport, sport: "ephemeral" }));
    expect(hook(22)).toMatchObject({ kind: "drop", stop: { rule: { handle: 5 } } });
    expect(hook(8080)).toMatchObject({ kind: "pass", mark: 0 });
  });

  it("knows an unknown client port is ephemeral: a rule for port 22 cannot match it, one for 1024-65535 must", () => {
    const tables = new FilterTables(
      [chain("in", { hook: "input", type: "filter", priority: 0, policy: "drop" })],
      [rule("in", { handle: 1, matches: [{ field: "tcp sport", op: "==", values: ["22"] }], verdict: "accept" }), rule("in", { handle: 2, matches: [{ field: "tcp dport", op: "==", values: ["1024-65535"] }], verdict: "accept" })],
    );
    const reply = packet({ protocol: "tcp", sport: 22, dport: "ephemeral", ct: { state: "established", direction: "reply" } });
    expect(evaluateHook(tables, tables.baseChains("ip", "input"), reply)).toMatchObject({ kind: "pass", uncertain: [] });
    expect(evaluateHook(tables, tables.baseChains("ip", "input"), { ...reply, sport: 80 })).toMatchObject({ kind: "pass", uncertain: [] });
    expect(evaluateHook(tables, tables.baseChains("ip", "input"), { ...reply, sport: 80, dport: 80 })).toMatchObject({ kind: "drop" });
  });

  it("stays bounded among many rules it cannot decide, and calls the hook uncertain naming them", () => {
    const rules = Array.from({ length: 30 }, (_, i) => rule("fwd", { handle: i + 1, opaque: true, reason: "xt match set", verdict: "accept" }));
    const tables = new FilterTables([chain("fwd", { hook: "forward", type: "filter", priority: 0, policy: "drop" })], rules);
    const decision = evaluateHook(tables, tables.baseChains("ip", "forward"), packet({}));
    expect(decision.kind).toBe("pass");
    expect(decision.kind === "pass" && decision.uncertain[0]?.dependsOn.map((r) => r.handle)).toEqual(rules.map((r) => r.handle));
  });

  it("lets a later definite drop decide over an earlier fork, and keeps IPv4 matches off IPv6 packets", () => {
    const all = new FilterTables(recorded.chains, recorded.rules);
    const v6 = evaluateHook(all, all.baseChains("ip6", "forward"), packet({ src: "fd00::1", dst: "fd00::2", iif: "eth0", oif: "eth1" }));
    expect(v6).toMatchObject({ kind: "drop", stop: { chain: { family: "ip6", name: "forwarding" }, rule: { handle: 2 } } });
    expect(all.baseChains("ip6", "forward").map((c) => `${c.chain.family} ${c.chain.name}`)).toEqual(["inet forwarding", "ip6 forwarding"]);
  });
});

