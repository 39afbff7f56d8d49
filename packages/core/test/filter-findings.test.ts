import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FleetSpec, fleetFindings, nodeFindings, parseNftFilter, type FilterRuleset, type NodeSnapshot } from "../src/index.js";
import { bridgedHost } from "./support/bridged-host.js";
import { dockerNetwork } from "./support/docker-host.js";
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

describe("fleet findings about the firewall", () => {
  const spec = FleetSpec.parse({
    nodes: [
      { name: "node-a", underlayIp: "192.168.50.11" },
      { name: "node-b", underlayIp: "192.168.50.12" },
    ],
    docker: { range: "172.30.0.0/16", hosts: ["node-a", "node-b"], networks: [{ name: "app" }] },
  });

  /** A Docker host of the spec: its subnet of "app" on bridge labnet0 (the recorded rules' user network), a route to the other host's. */
  function appHost(name: string, ip: string, subnet: string, other: { ip: string; subnet: string }, filter: FilterRuleset): NodeSnapshot {
    const node = bridgedHost(name, ip, [{ bridge: "labnet0", subnet, containers: [{ name: `${name}-web`, ip: subnet.replace(/0\/24$/, "2") }] }], filter);
    node.dockerNetworks.push(dockerNetwork("app", subnet, { bridge: "labnet0" }));
    node.routes.push({ netns: HOST_NETNS, family: 4, table: "main", type: "unicast", dst: other.subnet, via: other.ip, dev: "eth0", protocol: "157", scope: "global", flags: [] });
    return node;
  }

  it("finds a host whose dockerd FORWARD policy drops what the spec routes into its Docker network from the other host", () => {
    const a = appHost("node-a", "192.168.50.11", "172.30.0.0/24", { ip: "192.168.50.12", subnet: "172.30.1.0/24" }, { chains: [], rules: [] });
    const b = appHost("node-b", "192.168.50.12", "172.30.1.0/24", { ip: "192.168.50.11", subnet: "172.30.0.0/24" }, iptablesRules);
    const found = fleetFindings([a, b], spec).filter((f) => f.code === "docker-route-filtered");
    expect(found).toEqual([
      {
        code: "docker-route-filtered",
        severity: "error",
        message: "node-b: the policy drop of ip filter FORWARD (no rule accepted the packet) drops new connections from node-a's app (172.30.0.0/24) into its app (172.30.1.0/24); the spec routes the fleet's Docker networks between hosts (host-gw)",
        hint: "iptables -I DOCKER-USER -s 172.30.0.0/16 -d 172.30.1.0/24 -j ACCEPT",
        subjects: ["node-b/docker/app", "172.30.1.0/24"],
      },
    ]);
    // Without the spec, nothing says the hosts should reach each other's containers.
    expect(fleetFindings([a, b]).filter((f) => f.code === "docker-route-filtered")).toEqual([]);
  });
});
