import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trace, type NodeSnapshot, type TraceResult } from "@netatlas/core";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { uniquePrefix } from "@netatlas/linux/testing";
import { dockerIn, inNodeNet, readTokens, type NodeState } from "../src/index.js";
import { LAB_IMAGE } from "../src/docker-image.js";
import { buildLab, podOf, removeLab, type TestLab } from "./support.js";

type Endpoint = { pod: string } | { container: string };

/** The table the cases put their rules in: not `netatlas`, which the agents own. */
const TABLE = "lab_fw";

// Needs root and Debian's docker.io. One lab: 2 nodes with 2 pods each on a VXLAN fabric,
// node2 also a Docker host. Each case changes one node's firewall or sysctls (inside the
// lab node's own namespace), traces over fresh agent snapshots, sends a real echo between
// the same endpoints, and holds the two together: the probe gets replies exactly when the
// trace delivers the request and its reply. Every case undoes its change in `finally`.
describe("trace through the firewall, against real probes", { timeout: 30_000 }, () => {
  let lab: TestLab;
  let tokens: { admin: string; read: string };
  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("tw"), { nodes: 2, pods: 2, backend: "vxlan", agents: true, dockerNodes: 1 });
    tokens = readTokens(lab.state.tokenFile);
  }, 120_000);
  afterAll(() => removeLab(lab));

  const node = (name: string) => lab.state.nodes.find((n) => n.name === name) as NodeState & { pid: number };
  const agent = (name: string, token: string): AgentClient => createAgentClient({ url: `unix:${node(name).agent!.socket}`, token });
  /** maxAgeMs 0: each agent reads its node anew, after the change the case just made. */
  const fleet = (): Promise<NodeSnapshot[]> => Promise.all(lab.state.nodes.map((n) => agent(n.name, tokens.read).snapshot.query({ maxAgeMs: 0 })));
  const inNet = (name: string, ...argv: string[]) => run(inNodeNet(node(name).pid, argv));
  const docker = (...args: string[]) => run(dockerIn(node("node2").pid, args), { timeoutMs: 30_000 });

  /** Where an endpoint is: its node, the namespace a probe starts in (name or inode) and its address. */
  function locate(endpoint: Endpoint, snapshots: NodeSnapshot[]): { node: string; netns: string | number; ip: string } {
    if ("pod" in endpoint) {
      const { pod } = podOf(lab.state, endpoint.pod);
      return { node: lab.state.nodes.find((n) => n.pods.includes(pod))!.name, netns: pod.netns, ip: pod.ip! };
    }
    const found = snapshots.flatMap((s) => s.containers.map((c) => ({ node: s.node, c }))).find(({ c }) => c.name === endpoint.container);
    if (!found?.c.netns || !found.c.endpoints[0]?.ipv4) throw new Error(`container ${endpoint.container} is not in the agents' snapshots with a namespace and an address`);
    return { node: found.node, netns: found.c.netns, ip: found.c.endpoints[0].ipv4 };
  }

  const nameOf = (e: Endpoint) => ("pod" in e ? e.pod : e.container);
  const outcome = (r: TraceResult) => `${r.forward.verdict.kind}${r.reverse ? `, reply ${r.reverse.verdict.kind}` : ""}`;

  /** The trace and a real ICMP echo (sent by the source node's agent) between two endpoints; they must agree. */
  async function traceAndProbe(snapshots: NodeSnapshot[], from: Endpoint, to: Endpoint): Promise<TraceResult> {
    const source = locate(from, snapshots);
    const target = locate(to, snapshots).ip;
    const result = trace(snapshots, from, { ip: target, protocol: "icmp" });
    const probe = await agent(source.node, tokens.admin).probe.mutate({ netns: source.netns, target, count: 2, timeoutMs: 1_000 });
    const replied = probe.attempts.some((a) => a.ok);
    const explained = result.forward.verdict.kind === "delivered" && result.reverse?.verdict.kind === "delivered";
    expect(`${nameOf(from)} -> ${nameOf(to)}: probe ${replied ? "replied" : "no reply"}`, `trace: ${result.forward.verdict.message} / ${result.reverse?.verdict.message}`).toBe(
      `${nameOf(from)} -> ${nameOf(to)}: probe ${explained ? "replied" : "no reply"}`,
    );
    return result;
  }

  /** The handle the kernel gave the rule of a chain whose text matches: what the trace must name. */
  async function kernelHandle(name: string, family: string, table: string, chain: string, rule: RegExp): Promise<number> {
    const lines = (await inNet(name, "nft", "-a", "list", "chain", family, table, chain)).stdout.split("\n");
    const line = lines.find((l) => rule.test(l));
    const handle = line?.match(/# handle (\d+)$/)?.[1];
    if (!handle) throw new Error(`no rule matching ${rule} in ${family} ${table} ${chain} on ${name}:\n${lines.join("\n")}`);
    return Number(handle);
  }

  /** The hop that decided a path's verdict. */
  const decidingHop = (r: TraceResult["forward"]) => r.hops[r.verdict.hop!]!;

  it("Docker: the default bridge to labnet is filtered by DOCKER-ISOLATION-STAGE-2, labnet to labnet is delivered", async () => {
    await docker("run", "--detach", "--name", "node2-peer", "--network", "labnet", LAB_IMAGE, "sleep", "2147483647");
    try {
      const snapshots = await fleet();
      const isolated = await traceAndProbe(snapshots, { container: "node2-solo" }, { container: "node2-pause" });
      expect(isolated.forward.verdict.kind).toBe("filtered");
      const handle = await kernelHandle("node2", "ip", "filter", "DOCKER-ISOLATION-STAGE-2", /oifname "labnet0" .*drop/);
      expect(isolated.forward.verdict.rule).toMatchObject({ node: "node2", family: "ip", table: "filter", chain: "DOCKER-ISOLATION-STAGE-2", hook: "forward", handle });
      expect(decidingHop(isolated.forward)).toMatchObject({ node: "node2", netns: { label: "host" }, action: "filter", interfaces: ["docker0", "labnet0"] });

      const sameNetwork = await traceAndProbe(snapshots, { container: "node2-pause" }, { container: "node2-peer" });
      expect(outcome(sameNetwork)).toBe("delivered, reply delivered");
    } finally {
      await docker("rm", "--force", "node2-peer");
    }
  });

  it("Docker: containers of a network made with enable_icc=false are filtered from each other by dockerd's drop rule", async () => {
    await docker("network", "create", "--driver", "bridge", "--subnet", "172.29.0.0/24", "--opt", "com.docker.network.bridge.name=noicc0", "--opt", "com.docker.network.bridge.enable_icc=false", "noicc");
    try {
      for (const name of ["node2-iso1", "node2-iso2"]) await docker("run", "--detach", "--name", name, "--network", "noicc", LAB_IMAGE, "sleep", "2147483647");
      const result = await traceAndProbe(await fleet(), { container: "node2-iso1" }, { container: "node2-iso2" });
      expect(result.forward.verdict.kind).toBe("filtered");
      const handle = await kernelHandle("node2", "ip", "filter", "FORWARD", /iifname "noicc0" oifname "noicc0" .*drop/);
      expect(result.forward.verdict.rule).toMatchObject({ node: "node2", family: "ip", table: "filter", chain: "FORWARD", hook: "forward", handle });
      expect(decidingHop(result.forward)).toMatchObject({ action: "filter", interfaces: ["noicc0", "noicc0"] });
    } finally {
      await docker("rm", "--force", "node2-iso1", "node2-iso2");
      await docker("network", "rm", "noicc");
    }
  });

  it("an inet forward rule on node1 dropping one pod's source: that pod's paths (routed and bridged, both ways) are filtered by it, the other pod's are delivered", async () => {
    const pod1 = podOf(lab.state, "node1-pod1").pod.ip!;
    await inNet("node1", "nft", "add", "table", "inet", TABLE);
    try {
      await inNet("node1", "nft", "add", "chain", "inet", TABLE, "forward", "{ type filter hook forward priority 0; }");
      await inNet("node1", "nft", "add", "rule", "inet", TABLE, "forward", "ip", "saddr", pod1, "drop");
      const rule = { node: "node1", family: "inet", table: TABLE, chain: "forward", hook: "forward", handle: await kernelHandle("node1", "inet", TABLE, "forward", /drop/), text: `ip saddr ${pod1} drop` };
      const snapshots = await fleet();

      const out = await traceAndProbe(snapshots, { pod: "node1-pod1" }, { pod: "node2-pod1" });
      expect(out.forward.verdict).toMatchObject({ kind: "filtered", rule });
      expect(decidingHop(out.forward)).toMatchObject({ node: "node1", action: "filter", interfaces: ["cni0", "netatlas.1"], filter: [rule] });
      // br_netfilter (bridge-nf-call-iptables = 1) hands frames between two ports of cni0 to the inet forward hook too.
      const bridged = await traceAndProbe(snapshots, { pod: "node1-pod1" }, { pod: "node1-pod2" });
      expect(bridged.forward.verdict).toMatchObject({ kind: "filtered", rule });
      expect(decidingHop(bridged.forward)).toMatchObject({ interfaces: ["cni0", "cni0"] });
      const reply = await traceAndProbe(snapshots, { pod: "node2-pod1" }, { pod: "node1-pod1" });
      expect(reply.forward.verdict.kind).toBe("delivered");
      expect(reply.reverse?.verdict).toMatchObject({ kind: "filtered", rule });

      for (const [from, to] of [["node1-pod2", "node2-pod1"], ["node2-pod1", "node1-pod2"]] as const) {
        expect(outcome(await traceAndProbe(snapshots, { pod: from }, { pod: to }))).toBe("delivered, reply delivered");
      }
    } finally {
      await inNet("node1", "nft", "delete", "table", "inet", TABLE);
    }
  });

  it("the same rule in the bridge family on node1: same-node traffic from that pod through cni0 is filtered by it, routed traffic is not", async () => {
    const pod1 = podOf(lab.state, "node1-pod1").pod.ip!;
    await inNet("node1", "nft", "add", "table", "bridge", TABLE);
    try {
      await inNet("node1", "nft", "add", "chain", "bridge", TABLE, "forward", "{ type filter hook forward priority 0; }");
      await inNet("node1", "nft", "add", "rule", "bridge", TABLE, "forward", "ip", "saddr", pod1, "drop");
      const rule = { node: "node1", family: "bridge", table: TABLE, chain: "forward", hook: "forward", handle: await kernelHandle("node1", "bridge", TABLE, "forward", /drop/), text: `ip saddr ${pod1} drop` };
      const snapshots = await fleet();

      const bridged = await traceAndProbe(snapshots, { pod: "node1-pod1" }, { pod: "node1-pod2" });
      expect(bridged.forward.verdict).toMatchObject({ kind: "filtered", rule });
      expect(decidingHop(bridged.forward)).toMatchObject({ node: "node1", netns: { label: "host" }, action: "filter", filter: [rule] });
      const reply = await traceAndProbe(snapshots, { pod: "node1-pod2" }, { pod: "node1-pod1" });
      expect(reply.forward.verdict.kind).toBe("delivered");
      expect(reply.reverse?.verdict).toMatchObject({ kind: "filtered", rule });
      // To another node the frame goes up to node1 itself (cni0's own MAC): no bridge forward hook.
      expect(outcome(await traceAndProbe(snapshots, { pod: "node1-pod1" }, { pod: "node2-pod1" }))).toBe("delivered, reply delivered");
    } finally {
      await inNet("node1", "nft", "delete", "table", "bridge", TABLE);
    }
  });

  it("rp_filter on node2 with an asymmetric route back to node1's pods: strict (1) refuses them, loose (2) lets them in", async () => {
    // node1's pods reach node2 masqueraded as node1's VXLAN address (the CNI bridge plugin's
    // ipMasq); node2 routes that one address back over the underlay, not netatlas.1 where
    // the packets arrive. The reply still gets there: node1 takes it on eth0 and un-NATs it.
    const [vtep] = JSON.parse((await inNet("node1", "ip", "-j", "-4", "addr", "show", "dev", "netatlas.1")).stdout)[0].addr_info as Array<{ local: string }>;
    const back = [`${vtep!.local}/32`, "via", node("node1").underlayIp, "dev", "eth0"];
    const before = (await inNet("node2", "sysctl", "-n", "net.ipv4.conf.all.rp_filter")).stdout.trim();
    await inNet("node2", "ip", "route", "add", ...back);
    try {
      await inNet("node2", "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=1");
      let snapshots = await fleet();
      const strict = await traceAndProbe(snapshots, { pod: "node1-pod1" }, { pod: "node2-pod1" });
      expect(strict.forward.verdict).toMatchObject({ kind: "rp-filtered", rpFilter: { node: "node2", interface: "netatlas.1", mode: "strict", route: back.join(" ") } });
      expect(decidingHop(strict.forward)).toMatchObject({ node: "node2", netns: { label: "host" } });
      // node2's own pods reach node1 as before: their replies come back where they left.
      expect(outcome(await traceAndProbe(snapshots, { pod: "node2-pod1" }, { pod: "node1-pod1" }))).toBe("delivered, reply delivered");

      await inNet("node2", "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=2");
      snapshots = await fleet();
      const loose = await traceAndProbe(snapshots, { pod: "node1-pod1" }, { pod: "node2-pod1" });
      expect(outcome(loose)).toBe("delivered, reply delivered");
      expect(loose.asymmetric).toBe(true);
    } finally {
      await inNet("node2", "sysctl", "-qw", `net.ipv4.conf.all.rp_filter=${before}`);
      await inNet("node2", "ip", "route", "del", ...back);
    }
  });

  it("FORWARD policy drop on node1 (iptables-nft): the cross-node pod paths through it are filtered by the policy, and forward-policy-drop says so", async () => {
    await inNet("node1", "iptables", "-P", "FORWARD", "DROP");
    try {
      const policy = { node: "node1", family: "ip", table: "filter", chain: "FORWARD", hook: "forward", text: "policy drop" };
      const snapshots = await fleet();
      for (const [from, to] of [["node1-pod1", "node2-pod1"], ["node2-pod2", "node1-pod2"]] as const) {
        const result = await traceAndProbe(snapshots, { pod: from }, { pod: to });
        expect(result.forward.verdict).toMatchObject({ kind: "filtered", rule: policy });
        expect(result.forward.verdict.rule?.handle).toBeUndefined();
        expect(decidingHop(result.forward)).toMatchObject({ node: "node1", action: "filter" });
      }
      expect(outcome(await traceAndProbe(snapshots, { pod: "node2-pod1" }, { pod: "node2-pod2" }))).toBe("delivered, reply delivered");

      const findings = await agent("node1", tokens.read).findings.query();
      expect(findings.filter((f) => f.code === "forward-policy-drop")).toEqual([
        expect.objectContaining({ severity: "error", message: expect.stringContaining(`ip filter FORWARD in node1/host has policy drop and no rule accepts new connections from cni0 (${node("node1").podCidr})`), subjects: ["node1/host/cni0"] }),
      ]);
    } finally {
      await inNet("node1", "iptables", "-P", "FORWARD", "ACCEPT");
    }
  });
});
