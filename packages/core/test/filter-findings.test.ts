import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nodeFindings, parseNftFilter, type FilterRuleset, type NodeSnapshot } from "../src/index.js";
import { bridgedHost } from "./support/bridged-host.js";
import { HOST_NETNS } from "./support/snapshot.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/firewall.json", import.meta.url), "utf8")) as { ruleset: unknown; text: string };
const recorded = parseNftFilter(fixture.ruleset, HOST_NETNS, fixture.text);
const iptablesRules: FilterRuleset = { chains: recorded.chains.filter((c) => c.family === "ip"), rules: recorded.rules.filter((r) => r.family === "ip") };

/** A Kubernetes node that also runs dockerd: docker0 beside the pod bridge cni0, and a route to another node's pods. */
function podAndDockerNode(filter: FilterRuleset): NodeSnapshot {
  const node = bridgedHost(
    "node3",
    "192.168.50.13",
    [
      { bridge: "docker0", subnet: "172.17.0.0/16", containers: [{ name: "solo", ip: "172.17.0.2" }] },
      { bridge: "cni0", subnet: "10.244.3.0/24", containers: [{ name: "pod-a", ip: "10.244.3.2" }] },
    ],
    filter,
  );
  node.routes.push({ netns: HOST_NETNS, family: 4, table: "main", type: "unicast", dst: "10.244.1.0/24", via: "192.168.50.11", dev: "eth0", protocol: "static", scope: "global", flags: [] });
  return node;
}

const byCode = (s: NodeSnapshot, code: string) => nodeFindings(s).filter((f) => f.code === code);

describe("findings about the firewall", () => {
  it("finds dockerd's FORWARD policy drop starving the pod bridge beside it, with the rule that fixes it, and leaves Docker's own networks alone", () => {
    const [finding, ...more] = byCode(podAndDockerNode(iptablesRules), "forward-policy-drop");
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ severity: "error", subjects: ["node3/host/cni0"] });
    expect(finding?.message).toBe(
      "ip filter FORWARD in node3/host has policy drop and no rule accepts new connections from cni0 (10.244.3.0/24) out through eth0; new connections from 10.244.1.0/24 (via eth0) into cni0 (10.244.3.0/24): the forward hook drops them",
    );
    expect(finding?.hint).toBe("iptables -I DOCKER-USER -s 10.244.3.0/24 -j ACCEPT; iptables -I DOCKER-USER -d 10.244.3.0/24 -j ACCEPT");
  });

  it("finds a rule that drops the VXLAN port on the underlay", () => {
    const node = podAndDockerNode(iptablesRules);
    node.links.push({ netns: HOST_NETNS, ifindex: 50, name: "flannel.1", kind: "vxlan", mtu: 1450, state: "UNKNOWN", flags: ["UP", "LOWER_UP"], vxlan: { vni: 1, local: "192.168.50.13", device: "eth0" } });
    node.fdb.push({ netns: HOST_NETNS, mac: "aa:bb:cc:00:00:01", dev: "flannel.1", dst: "192.168.50.11", flags: ["self"], state: "permanent" });
    const [finding] = byCode(node, "filter-drops-fabric");
    expect(finding?.message).toBe("rule handle 37 of ip filter INPUT: udp dport 8472 counter drop in node3/host drops flannel.1's VXLAN packets (UDP 8472) from 192.168.50.11 on eth0");
    expect(finding?.hint).toBe("iptables -I INPUT -p udp --dport 8472 -j ACCEPT");
  });

  it("finds a hand-made nft rule that drops the pod subnet, and says where to put the accept", () => {
    const node = podAndDockerNode({
      chains: [{ netns: HOST_NETNS, family: "inet", table: "hand", name: "fwd", hook: "forward", type: "filter", priority: 0, policy: "accept" }],
      rules: [{ netns: HOST_NETNS, family: "inet", table: "hand", chain: "fwd", handle: 4, matches: [{ field: "ip daddr", op: "==", values: ["10.244.0.0/16"] }], verdict: "drop", text: "ip daddr 10.244.0.0/16 drop", opaque: false }],
    });
    const [finding, ...more] = byCode(node, "filter-drops-fabric");
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ message: expect.stringContaining("rule handle 4 of inet hand fwd: ip daddr 10.244.0.0/16 drop in node3/host drops new connections from 10.244.1.0/24 (via eth0) into cni0"), hint: "nft insert rule inet hand fwd position 4 ip daddr 10.244.3.0/24 accept" });
    expect(byCode(node, "forward-policy-drop")).toEqual([]);
  });

  it("says nothing when the rules let the fabric through, or when no filter rules were read", () => {
    expect(nodeFindings(podAndDockerNode({ chains: [], rules: [] })).filter((f) => f.code.includes("drop") || f.code.includes("filter"))).toEqual([]);
    const v1 = { ...podAndDockerNode(iptablesRules), schemaVersion: 1 as const, filter: undefined };
    expect(byCode(v1, "forward-policy-drop")).toEqual([]);
  });
});
