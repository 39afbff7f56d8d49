import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nftTextNeeded, NodeSnapshot, parseNftFilter, parseNftNatRules, type FilterRule } from "../src/index.js";
import { emptySnapshot } from "./support/snapshot.js";

// Recorded by record-firewall.ts: Docker's chains written by iptables-nft, kube-proxy- and
// CNI-firewall-like rules, hand-made inet, ip6, bridge and netdev tables; JSON and text.
const fixture = JSON.parse(readFileSync(new URL("./fixtures/firewall.json", import.meta.url), "utf8")) as { ruleset: unknown; text: string };
const withText = parseNftFilter(fixture.ruleset, 5, fixture.text);
const jsonOnly = parseNftFilter(fixture.ruleset, 5);
const rule = (rules: FilterRule[], chain: string, handle: number) => rules.filter((r) => r.chain === chain && r.handle === handle);

describe("the filter side of nft -j list ruleset", () => {
  it("reads Docker's FORWARD chain as a base chain with policy drop, and its regular chains without a hook", () => {
    const forward = withText.chains.find((c) => c.family === "ip" && c.table === "filter" && c.name === "FORWARD");
    expect(forward).toEqual({ netns: 5, family: "ip", table: "filter", name: "FORWARD", hook: "forward", priority: 0, policy: "drop", type: "filter" });
    expect(withText.chains.find((c) => c.name === "DOCKER-ISOLATION-STAGE-2")).toEqual({ netns: 5, family: "ip", table: "filter", name: "DOCKER-ISOLATION-STAGE-2" });
  });

  it("keeps the isolation drop and the jumps that lead to it, with their interface matches", () => {
    expect(rule(withText.rules, "DOCKER-ISOLATION-STAGE-1", 18)[0]).toMatchObject({
      matches: [{ field: "iifname", op: "==", values: ["labnet0"] }, { field: "oifname", op: "!=", values: ["labnet0"] }],
      verdict: "jump",
      target: "DOCKER-ISOLATION-STAGE-2",
      opaque: false,
    });
    expect(rule(withText.rules, "DOCKER-ISOLATION-STAGE-2", 21)[0]).toMatchObject({ matches: [{ field: "oifname", values: ["labnet0"] }], verdict: "drop", text: 'oifname "labnet0" counter drop' });
    expect(rule(withText.rules, "FORWARD", 16)[0]).toMatchObject({ verdict: "drop", text: 'iifname "br-quiet" oifname "br-quiet" counter drop' });
  });

  it("reads iptables-nft's conntrack match from nft's text, and keeps it opaque with its reason when only JSON was read", () => {
    expect(rule(withText.rules, "FORWARD", 8)[0]).toMatchObject({ matches: [{ field: "oifname", values: ["docker0"] }, { field: "ct state", op: "==", values: ["related", "established"] }], opaque: false });
    expect(rule(jsonOnly.rules, "FORWARD", 8)[0]).toMatchObject({ opaque: true, reason: "xt match conntrack", text: 'oifname "docker0" xt match conntrack accept' });
    expect(nftTextNeeded(fixture.ruleset)).toBe(true);
    expect(nftTextNeeded({ nftables: [{ table: { family: "inet", name: "t" } }] })).toBe(false);
  });

  it("marks rules it cannot decide opaque, never drops them: a rate limit, a random match, REJECT by xt target is a reject", () => {
    expect(rule(withText.rules, "KUBE-FORWARD", 29)[0]).toMatchObject({ opaque: true, reason: "xt match statistic", verdict: "return" });
    expect(rule(withText.rules, "INPUT", 38)[0]).toMatchObject({ opaque: true, reason: "limit rate 5/second", verdict: "accept" });
    expect(rule(withText.rules, "INPUT", 39)[0]).toMatchObject({ verdict: "reject", opaque: false, text: "tcp dport 23 counter reject with tcp reset" });
    expect(rule(withText.rules, "KUBE-FORWARD", 28)[0]?.matches).toEqual([{ field: "mark", op: "==", values: ["16384"], mask: 16384 }]);
  });

  it("resolves named sets, expands verdict maps into one rule per element, and reads marks set", () => {
    expect(rule(withText.rules, "forwarding", 10)[0]?.matches).toEqual([{ field: "ip daddr", op: "==", values: ["10.9.0.0/16", "10.10.1.1"], set: "blocked" }]);
    expect(rule(withText.rules, "forwarding", 12).map((r) => [r.matches.at(-1)?.values, r.verdict, r.target])).toEqual([
      [["tcp"], "jump", "tcpchecks"],
      [["udp"], "continue", undefined],
    ]);
    expect(rule(withText.rules, "tcpchecks", 18).map((r) => [r.matches[0]?.values[0], r.verdict])).toEqual([["22", "accept"], ["8472", "drop"]]);
    expect(rule(withText.rules, "tcpchecks", 19)[0]).toMatchObject({ setsMark: 2, verdict: "return" });
    expect(rule(withText.rules, "forwarding", 17)[0]?.matches).toEqual([{ field: "fib saddr . iif oif", op: "==", values: ["missing"] }]);
  });

  it("reads every family that can see a packet, the netdev chain's device from the text, and leaves the nat table to the NAT parser", () => {
    expect(new Set(withText.chains.map((c) => c.family))).toEqual(new Set(["ip", "inet", "ip6", "bridge", "netdev"]));
    expect(withText.chains.find((c) => c.family === "netdev")).toMatchObject({ hook: "ingress", devices: ["dum0"] });
    expect(withText.chains.some((c) => c.table === "nat")).toBe(false);
    expect(parseNftNatRules(fixture.ruleset, 5).map((r) => r.action)).toEqual(["masquerade", "jump"]);
  });

  it("says what it expected when nft printed something else", () => {
    expect(() => parseNftFilter({ tables: [] }, 1)).toThrow(/nftables/);
    expect(parseNftFilter(undefined, 1)).toEqual({ chains: [], rules: [] });
  });
});

describe("snapshot schema versions", () => {
  it("parses a version 1 snapshot without filter data, and a version 2 one with it", () => {
    const v1 = NodeSnapshot.parse(emptySnapshot("n1"));
    expect(v1.filter).toBeUndefined();
    const v2 = NodeSnapshot.parse({ ...emptySnapshot("n2"), schemaVersion: 2, filter: withText });
    expect(v2.filter?.rules).toHaveLength(withText.rules.length);
    expect(() => NodeSnapshot.parse({ ...emptySnapshot("n3"), schemaVersion: 3 })).toThrow();
  });
});
