import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LinkIndex, NodeSnapshot, normalizeCidr, type NamespaceState } from "@netatlas/core";
import { chooseNamespaceReader, run, snapshotNode } from "../src/index.js";
import { createCniNode, uniquePrefix, type CniNode } from "../src/testing/index.js";

async function ipJson(ns: string, ...args: string[]): Promise<Array<Record<string, unknown>>> {
  return JSON.parse((await run(["ip", "-n", ns, "-j", ...args])).stdout || "[]");
}

// The netlink addon is built by tools/run/setup.sh; CI must have it, a developer may not.
const netlinkReady = (await chooseNamespaceReader("netlink")).kind === "netlink";
const readers: Array<"iproute2" | "netlink"> = netlinkReady || process.env.CI ? ["iproute2", "netlink"] : ["iproute2"];

// Needs root: a CNI node of real namespaces, removed after the tests.
// The iproute2 reader starts four processes a namespace: give it time on a busy machine.
describe("a node snapshot of namespaces made by the real CNI bridge plugin", { timeout: 30_000 }, () => {
  let cni: CniNode;

  beforeAll(async () => {
    cni = await createCniNode(uniquePrefix("nasnap"), { pods: 3, vxlan: true, nft: true });
  }, 30_000);
  afterAll(async () => cni?.destroy());

  const snapshots = new Map<string, NodeSnapshot>();
  const snapshotWith = async (reader: "iproute2" | "netlink") => {
    if (!snapshots.has(reader)) snapshots.set(reader, await snapshotNode({ reader, nft: "all" }));
    return snapshots.get(reader) as NodeSnapshot;
  };

  it.each(readers)("lists every link, address and route that ip -j shows (%s reader)", async (reader) => {
    const snapshot = await snapshotWith(reader);
    expect(snapshot.reader).toBe(reader);
    for (const name of cni.all) {
      const ns = snapshot.namespaces.find((n) => n.names.includes(name));
      expect(ns, `namespace ${name}`).toBeDefined();
      const id = ns!.id;
      const links = await ipJson(name, "link", "show");
      expect(snapshot.links.filter((l) => l.netns === id).map((l) => `${l.ifindex}:${l.name}`).sort()).toEqual(links.map((l) => `${l.ifindex}:${l.ifname}`).sort());
      const addrs = (await ipJson(name, "addr", "show")).flatMap((l) => (l.addr_info as Array<{ local: string; prefixlen: number }>).map((a) => `${l.ifname} ${a.local}/${a.prefixlen}`));
      expect(snapshot.addresses.filter((a) => a.netns === id).map((a) => `${a.ifname} ${a.address}/${a.prefixLength}`).sort()).toEqual(addrs.sort());
      const routes = (await ipJson(name, "route", "show", "table", "all")).map((r) => `${r.table ?? "main"} ${r.type ?? "unicast"} ${r.dst === "default" ? "default" : normalizeCidr(String(r.dst))}`);
      const ours = snapshot.routes.filter((r) => r.netns === id).map((r) => `${r.table} ${r.type} ${r.dst.endsWith("/0") ? "default" : r.dst}`);
      expect(ours.sort()).toEqual(routes.sort());
    }
  });

  it.each(readers)("pairs every veth with its peer and puts the host ends on cni0 (%s reader)", async (reader) => {
    const snapshot = await snapshotWith(reader);
    const index = new LinkIndex(snapshot.links);
    const nodeNs = snapshot.namespaces.find((n) => n.names.includes(cni.node))!;
    for (const pod of cni.pods) {
      const podNs = snapshot.namespaces.find((n) => n.names.includes(pod))!;
      const eth0 = snapshot.links.find((l) => l.netns === podNs.id && l.name === "eth0")!;
      const peer = index.peerOf(eth0);
      expect(peer?.netns).toBe(nodeNs.id);
      expect(index.masterOf(peer!)?.name).toBe("cni0");
    }
    const ours = new Set(cni.all.map((name) => snapshot.namespaces.find((n) => n.names.includes(name))!.id));
    const veths = snapshot.links.filter((l) => l.kind === "veth" && ours.has(l.netns));
    expect(veths).toHaveLength(2 * (cni.pods.length + 1));
    expect(veths.every((v) => v.peer !== undefined)).toBe(true);
    expect(nodeNs.ipForward).toBe(true);
    expect(snapshot.nat.some((r) => r.netns === nodeNs.id && r.table === "netatlas" && r.action === "masquerade")).toBe(true);
  });

  it.each(readers)("makes a snapshot the schema's check would not change, without checking it (%s reader)", async (reader) => {
    const snapshot = await snapshotWith(reader);
    expect(snapshot.links.some((l) => l.kind === "vxlan") && snapshot.nat.length > 0 && snapshot.fdb.length > 0).toBe(true);
    expect(NodeSnapshot.parse(snapshot)).toStrictEqual(snapshot);
  });

  it.runIf(readers.includes("netlink"))("reads only the namespaces it is not handed, and tells of each one it reads with its link table", async () => {
    const reads = new Map<number, { state: NamespaceState; table?: unknown }>();
    const full = await snapshotNode({ reader: "netlink", nft: "none", onNamespaceRead: (ns, read) => reads.set(ns.id, { state: read.state, table: read.linkTable }) });
    expect([...reads.values()].every((r) => r.table !== undefined)).toBe(true);
    const pod = full.namespaces.find((n) => n.names.includes(cni.pods[0] as string))!;
    const heldState = { ...reads.get(pod.id)!.state, routes: [] };

    const readAgain: number[] = [];
    const partial = await snapshotNode({ reader: "netlink", nft: "none", held: (ns) => (ns.id === pod.id ? { state: heldState, sysctls: { ipForward: true } } : undefined), onNamespaceRead: (ns) => readAgain.push(ns.id) });
    expect(readAgain).not.toContain(pod.id);
    expect(readAgain).toContain(full.namespaces.find((n) => n.names.includes(cni.node))!.id);
    // What was handed in is what the snapshot shows of it.
    expect(partial.routes.filter((r) => r.netns === pod.id)).toEqual([]);
    expect(partial.namespaces.find((n) => n.id === pod.id)?.ipForward).toBe(true);
    expect(partial.links.find((l) => l.netns === pod.id && l.name === "eth0")?.peer).toBeDefined();
  });

  it("turns a read that times out into a warning in the snapshot, not a failure", async () => {
    const snapshot = await snapshotNode({ reader: "iproute2", netnsDir: "/var/run/netns", timeoutMs: 1, nft: "none" });
    expect(snapshot.warnings.some((w) => /timed out/.test(w))).toBe(true);
  });
});
