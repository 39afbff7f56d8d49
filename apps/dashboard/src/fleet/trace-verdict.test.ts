import { describe, expect, it } from "vitest";
import { trace, type NodeSnapshot } from "@netatlas/core";
import { dropFrom, randomDrop, withForwardRules, withRpFilter } from "../../test/firewalled-fleet";
import { labFleet } from "../../test/lab-fleet";
import { filterRuleText, verdictRpFilter, verdictRules } from "./trace-verdict";

const node1ToNode2Pod = (fleet: NodeSnapshot[]) => trace(fleet, { pod: "default/node1-pod1" }, { ip: "10.244.1.2", protocol: "icmp" });

describe("the firewall behind a trace's verdict", () => {
  it("names the rule that filtered the packet: node, namespace, family/table/chain, hook, handle, text and the hop", () => {
    const result = node1ToNode2Pod(withForwardRules({ node1: [dropFrom("10.244.0.2")] }));
    expect(verdictRules(result.forward)).toEqual([{ role: "stops it", node: "node1", namespace: "host", chain: "inet lab_fw forward", hook: "forward", handle: 2, text: "ip saddr 10.244.0.2 drop", hop: 5 }]);
    expect(filterRuleText(result.forward.verdict.rule!)).toBe("inet lab_fw forward handle 2: ip saddr 10.244.0.2 drop");
  });

  it("names a chain's policy without a handle", () => {
    const fleet = withForwardRules({ node1: [] }).map((s) => (s.filter ? { ...s, filter: { ...s.filter, chains: s.filter.chains.map((c) => ({ ...c, policy: "drop" as const })) } } : s));
    const [row] = verdictRules(node1ToNode2Pod(fleet).forward);
    expect(row).toMatchObject({ role: "stops it", chain: "inet lab_fw forward", text: "policy drop", hop: 5 });
    expect(row).not.toHaveProperty("handle");
  });

  it("for an uncertain path, lists the rules the trace could not decide with why, then what stops the packet the other way", () => {
    const result = node1ToNode2Pod(withForwardRules({ node1: [randomDrop] }));
    expect(result.forward.verdict.kind).toBe("uncertain");
    expect(verdictRules(result.forward)).toEqual([
      { role: "undecided", node: "node1", namespace: "host", chain: "inet lab_fw forward", hook: "forward", handle: 2, text: "xt match statistic drop", reason: "xt match statistic", hop: 5 },
      { role: "stops it otherwise", node: "node1", namespace: "host", chain: "inet lab_fw forward", hook: "forward", handle: 2, text: "xt match statistic drop", reason: "xt match statistic", hop: 5 },
    ]);
    // The reply passes the same hook of node1 and depends on the same rule.
    expect(verdictRules(result.reverse!).map((r) => [r.role, r.node, r.handle])).toEqual([["undecided", "node1", 2], ["stops it otherwise", "node1", 2]]);
  });

  it("says where the reverse-path check refused the packet: node, namespace, interface, mode and the route back", () => {
    const result = node1ToNode2Pod(withRpFilter("node2", 1, { dst: "10.244.0.0/32", via: "192.168.50.11", dev: "eth0" }));
    expect(verdictRpFilter(result.forward)).toEqual({ node: "node2", namespace: "host", interface: "netatlas.1", mode: "strict", route: "10.244.0.0/32 via 192.168.50.11 dev eth0", hop: 10 });
    expect(verdictRules(result.forward)).toEqual([]);
  });

  it("has nothing to show for a path no firewall decided", () => {
    const result = node1ToNode2Pod(labFleet());
    expect([verdictRules(result.forward), verdictRpFilter(result.forward)]).toEqual([[], undefined]);
  });
});
