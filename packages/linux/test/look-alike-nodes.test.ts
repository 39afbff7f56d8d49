import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeSnapshot } from "@netatlas/core";
import { chooseNamespaceReader, run, snapshotNode } from "../src/index.js";
import { createCniNode, uniquePrefix, type CniNode } from "../src/testing/index.js";

async function ipJson(ns: string, ...args: string[]): Promise<Array<Record<string, unknown>>> {
  return JSON.parse((await run(["ip", "-n", ns, "-j", ...args])).stdout || "[]");
}

/** Every veth of a namespace, `ns/ifindex -> peerNs/peerIfindex`, from ip's own link_netnsid and netns list-id. */
async function vethPeersByIp(ns: string): Promise<string[]> {
  const nameOf = new Map((await ipJson(ns, "netns", "list-id")).map((e) => [e.nsid as number, e.name as string]));
  const veths = await ipJson(ns, "-d", "link", "show", "type", "veth");
  return veths.map((l) => `${ns}/${l.ifindex} -> ${l.link_netnsid === undefined ? ns : nameOf.get(l.link_netnsid as number)}/${l.link_index}`);
}

/** The same, as the snapshot paired them. */
function vethPeersBySnapshot(snapshot: NodeSnapshot, ns: string): string[] {
  const nameOf = (id: number) => snapshot.namespaces.find((n) => n.id === id)?.names[0];
  const id = snapshot.namespaces.find((n) => n.names.includes(ns))?.id;
  return snapshot.links.filter((l) => l.netns === id && l.kind === "veth").map((l) => `${ns}/${l.ifindex} -> ${l.peer ? `${nameOf(l.peer.netns)}/${l.peer.ifindex}` : "unpaired"}`);
}

// The netlink addon is built by tools/run/setup.sh; CI must have it, a developer may not.
const netlinkReady = (await chooseNamespaceReader("netlink")).kind === "netlink";
const readers: Array<"iproute2" | "netlink"> = netlinkReady || process.env.CI ? ["iproute2", "netlink"] : ["iproute2"];

// Needs root: two CNI nodes of real namespaces built the same way, at the same time, removed after the tests.
describe("a node snapshot of two look-alike CNI nodes", () => {
  const nodes: CniNode[] = [];

  beforeAll(async () => {
    const built = await Promise.allSettled([createCniNode(uniquePrefix("nadup"), { pods: 2 }), createCniNode(uniquePrefix("nadup"), { pods: 2 })]);
    for (const b of built) if (b.status === "fulfilled") nodes.push(b.value);
    const failed = built.find((b) => b.status === "rejected");
    if (failed) throw failed.reason;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.destroy()));
  });

  it("builds both nodes with the same ifindexes and netnsids, so only the kernel's nsids tell them apart", async () => {
    const layout = async (cni: CniNode) => (await Promise.all([cni.node, ...cni.pods].map(vethPeersByIp))).flat().map((p) => p.replaceAll(cni.prefix, "X"));
    const [first, second] = nodes as [CniNode, CniNode];
    expect(await layout(first)).toEqual(await layout(second));
  });

  // The netlink reader asks RTM_GETNSID itself; the iproute2 reader asks `ip netns list-id`, which knows these namespaces by name.
  it.each(readers)("pairs every veth of both nodes with its own peer (%s reader)", async (reader) => {
    const snapshot = await snapshotNode({ reader, nft: "none" });
    expect(snapshot.reader).toBe(reader);
    for (const cni of nodes) {
      for (const ns of [cni.node, cni.underlay, ...cni.pods]) expect(vethPeersBySnapshot(snapshot, ns).sort()).toEqual((await vethPeersByIp(ns)).sort());
    }
  }, 60_000);
});
