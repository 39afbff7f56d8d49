import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeSnapshot } from "@netatlas/core";
import { chooseNamespaceReader, run, snapshotNode } from "../src/index.js";
import { uniquePrefix } from "../src/testing/index.js";

const netlinkReady = (await chooseNamespaceReader("netlink")).kind === "netlink";
const readers: Array<"iproute2" | "netlink"> = netlinkReady || process.env.CI ? ["iproute2", "netlink"] : ["iproute2"];
// br_netfilter's settings exist (per namespace) only when the module is loaded on this machine.
const brNetfilter = existsSync("/proc/sys/net/bridge/bridge-nf-call-iptables");

// Needs root: a namespace of its own with dockerd-like iptables-nft rules, a hand-made nft
// table and its own sysctls; removed after the tests. The host's firewall and sysctls are not touched.
describe("a node snapshot of a namespace with filter rules and sysctls", { timeout: 60_000 }, () => {
  const ns = uniquePrefix("h4fw");
  const inNs = (...argv: string[]) => run(["ip", "netns", "exec", ns, ...argv]);
  const snapshots = new Map<string, NodeSnapshot>();
  const snapshotWith = async (reader: "iproute2" | "netlink") => {
    if (!snapshots.has(reader)) snapshots.set(reader, await snapshotNode({ reader, nft: "all", timeoutMs: 20_000 }));
    return snapshots.get(reader) as NodeSnapshot;
  };

  beforeAll(async () => {
    await run(["ip", "netns", "add", ns]);
    await run(["ip", "-n", ns, "link", "add", "veth-a", "type", "veth", "peer", "name", "veth-b"]);
    for (const rule of [
      ["-P", "FORWARD", "DROP"],
      ["-N", "DOCKER-ISOLATION-STAGE-2"],
      ["-A", "FORWARD", "-o", "docker0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"],
      ["-A", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "DOCKER-ISOLATION-STAGE-2"],
      ["-A", "DOCKER-ISOLATION-STAGE-2", "-o", "labnet0", "-j", "DROP"],
    ]) {
      await inNs("iptables", ...rule);
    }
    await run(["ip", "netns", "exec", ns, "nft", "-f", "-"], { input: 'table inet hand {\n chain forwarding {\n  type filter hook forward priority -10; policy accept;\n  iifname "veth*" udp dport 8472 drop\n }\n}\n' });
    await inNs("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=2", "net.ipv4.conf.veth-a.rp_filter=1");
    if (brNetfilter) await inNs("sysctl", "-q", "-w", "net.bridge.bridge-nf-call-iptables=0");
  }, 30_000);
  afterAll(async () => {
    await run(["ip", "netns", "del", ns]).catch(() => undefined);
  });

  it.each(readers)("carries the namespace's rp_filter and bridge-nf-call settings (%s reader)", async (reader) => {
    const snapshot = await snapshotWith(reader);
    const netns = snapshot.namespaces.find((n) => n.names.includes(ns));
    expect(netns?.rpFilter).toEqual({ all: 2, default: 0, interfaces: { lo: 0, "veth-a": 1, "veth-b": 0 } });
    expect(netns?.bridgeNfCallIptables).toBe(brNetfilter ? false : undefined);
    expect(netns?.bridgeNfCallIp6tables).toBe(brNetfilter ? true : undefined);
  });

  it.each(readers)("carries its filter chains and rules, Docker's conntrack match read from nft's text (%s reader)", async (reader) => {
    const snapshot = await snapshotWith(reader);
    const id = snapshot.namespaces.find((n) => n.names.includes(ns))!.id;
    const chains = snapshot.filter?.chains.filter((c) => c.netns === id) ?? [];
    const rules = snapshot.filter?.rules.filter((r) => r.netns === id) ?? [];
    expect(chains.find((c) => c.name === "FORWARD")).toMatchObject({ family: "ip", table: "filter", hook: "forward", policy: "drop" });
    expect(rules.find((r) => r.chain === "FORWARD" && r.verdict === "accept")).toMatchObject({ opaque: false, matches: [{ field: "oifname", values: ["docker0"] }, { field: "ct state", values: ["related", "established"] }] });
    expect(rules.find((r) => r.chain === "DOCKER-ISOLATION-STAGE-2")).toMatchObject({ verdict: "drop", text: 'oifname "labnet0" counter drop' });
    expect(rules.find((r) => r.table === "hand")).toMatchObject({ family: "inet", chain: "forwarding", verdict: "drop", matches: [{ field: "iifname", values: ["veth*"] }, { field: "udp dport", values: ["8472"] }] });
    expect(snapshot.schemaVersion).toBe(2);
    expect(NodeSnapshot.parse(snapshot)).toStrictEqual(snapshot);
  });
});
