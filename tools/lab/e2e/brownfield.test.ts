import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NETATLAS_LINK_ALIAS, NETATLAS_NFT_TABLE, NETATLAS_ROUTE_PROTOCOL } from "@netatlas/core";
import { createAgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { uniquePrefix } from "@netatlas/linux/testing";
import { FLANNEL, inNodeNet, injectFault, inPod, readTokens, wireBrownfieldFabric, type NodeState } from "../src/index.js";
import { buildLab, leftovers, podOf, removeLab, unreachablePodPairs, type TestLab } from "./support.js";

// Needs root. Labs whose pod fabric netatlas did not make: wired as flanneld
// does, or by hand with `ip route add`. Each fault is checked with real pings
// between every ordered pair of pods, then the fabric is wired again (as its
// daemon converges) so the next fault starts from a healthy fleet.

const cli = new URL("../bin/netatlas-lab.js", import.meta.url).pathname;

const ipJson = async <T = Record<string, unknown>>(node: NodeState, ...args: string[]): Promise<T[]> => JSON.parse((await run(inNodeNet(node.pid!, ["ip", "-j", ...args]))).stdout.trim() || "[]") as T[];
const fdbOf = async (node: NodeState, dev: string) => JSON.parse((await run(inNodeNet(node.pid!, ["bridge", "-j", "fdb", "show", "dev", dev]))).stdout) as Array<{ mac: string; dst?: string; state?: string }>;
const macOf = async (node: NodeState, dev: string) => (await ipJson<{ address: string }>(node, "link", "show", dev))[0]!.address;
const vtep = (subnet: string) => subnet.replace(/\.0\/24$/, ".0");

/** The ordered pairs between the pods of `name` and the pods of every other node, both ways. */
function crossPairs(nodes: readonly NodeState[], name: string): string[] {
  const mine = nodes.find((n) => n.name === name)!.pods;
  const others = nodes.filter((n) => n.name !== name).flatMap((n) => n.pods);
  return [...mine.flatMap((a) => others.map((b) => `${a.name} -> ${b.name}`)), ...others.flatMap((b) => mine.map((a) => `${b.name} -> ${a.name}`))].sort();
}

/** Nothing of netatlas's in any node: no route of its protocol, no link with its alias, no nft table of its own. */
async function netatlasOwned(nodes: readonly NodeState[]): Promise<string[]> {
  const found: string[] = [];
  for (const node of nodes) {
    const routes = await ipJson<{ dst: string; protocol: string }>(node, "-d", "route", "show", "table", "all");
    found.push(...routes.filter((r) => r.protocol === NETATLAS_ROUTE_PROTOCOL).map((r) => `${node.name}: route ${r.dst} proto ${r.protocol}`));
    const links = await ipJson<{ ifname: string; ifalias?: string }>(node, "link", "show");
    found.push(...links.filter((l) => l.ifalias === NETATLAS_LINK_ALIAS).map((l) => `${node.name}: link ${l.ifname} alias ${l.ifalias}`));
    const tables = (await run(inNodeNet(node.pid!, ["nft", "list", "tables"]))).stdout;
    if (new RegExp(`\\b${NETATLAS_NFT_TABLE}\\b`).test(tables)) found.push(`${node.name}: nft table ${NETATLAS_NFT_TABLE}`);
  }
  return found;
}

async function expectLabGone(lab: TestLab): Promise<void> {
  const hostLinks = async () => (JSON.parse((await run(["ip", "-j", "link", "show"])).stdout) as Array<{ ifname: string }>).map((l) => l.ifname).sort();
  const before = await hostLinks();
  await removeLab(lab);
  expect(await leftovers(lab.prefix, lab.runDir)).toEqual([]);
  expect(await hostLinks()).toEqual(before);
}

describe("a 3-node flannel lab with 2 pods per node and agents, wired as flanneld does", { timeout: 30_000 }, () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("bf"), { nodes: 3, pods: 2, fabric: "flannel", agents: true });
    console.log(`lab: 3 nodes x 2 pods, flannel, agents: built in ${lab.buildMs} ms`);
  }, 90_000);
  afterAll(() => removeLab(lab));

  const node = (name: string) => lab.state.nodes.find((n) => n.name === name)!;

  it("gives each node flannel.1 as flanneld makes it, cni0 from the bridge plugin, and towards each peer a permanent neighbour, FDB entry and onlink route", async () => {
    const macs = new Map(await Promise.all(lab.state.nodes.map(async (n) => [n.name, await macOf(n, FLANNEL.device)] as const)));
    expect(new Set(macs.values()).size).toBe(3);
    for (const n of lab.state.nodes) {
      const [link] = await ipJson<{ mtu: number; address: string; linkinfo: { info_kind: string; info_data: Record<string, unknown> } }>(n, "-d", "link", "show", FLANNEL.device);
      expect(link).toMatchObject({ mtu: 1450, linkinfo: { info_kind: "vxlan", info_data: { id: 1, port: 8472, local: n.underlayIp, link: "eth0", learning: false } } });
      // flannel's MAC: random, locally administered, unicast.
      expect(parseInt(link!.address.slice(0, 2), 16) & 0b11).toBe(0b10);
      const addrs = await ipJson<{ ifname: string; mtu: number; addr_info: Array<{ family: string; local: string; prefixlen: number }> }>(n, "-4", "addr", "show");
      expect(addrs.find((a) => a.ifname === FLANNEL.device)?.addr_info).toMatchObject([{ local: vtep(n.podCidr), prefixlen: 32 }]);
      expect(addrs.find((a) => a.ifname === "cni0")).toMatchObject({ mtu: 1450, addr_info: [{ local: n.podCidr.replace(/\.0\/24$/, ".1"), prefixlen: 24 }] });
      const routes = await ipJson<Record<string, unknown>>(n, "-d", "route", "show", "dev", FLANNEL.device);
      const neighbors = await ipJson<Record<string, unknown>>(n, "neigh", "show", "dev", FLANNEL.device);
      const fdb = await fdbOf(n, FLANNEL.device);
      const peers = lab.state.nodes.filter((p) => p.name !== n.name);
      expect(routes).toEqual(peers.map((p) => ({ type: "unicast", dst: p.podCidr, gateway: vtep(p.podCidr), protocol: "boot", scope: "global", flags: ["onlink"] })));
      expect(neighbors).toEqual(expect.arrayContaining(peers.map((p) => ({ dst: vtep(p.podCidr), lladdr: macs.get(p.name), state: ["PERMANENT"] }))));
      expect(fdb.filter((f) => f.state === "permanent")).toEqual(expect.arrayContaining(peers.map((p) => ({ mac: macs.get(p.name), dst: p.underlayIp, flags: ["self"], state: "permanent" }))));
    }
  });

  it("makes nothing netatlas owns and hands the agents no intent", async () => {
    expect(await netatlasOwned(lab.state.nodes)).toEqual([]);
    const token = readTokens(lab.state.tokenFile).admin;
    for (const n of lab.state.nodes) {
      expect((await createAgentClient({ url: `unix:${n.agent!.socket}`, token }).reconcileStatus.query()).intent ?? null).toBeNull();
      expect(existsSync(join(lab.runDir, n.name, "state", "intent.json"))).toBe(false);
    }
  });

  it("says its fabric in `status`", async () => {
    const status = await run([process.execPath, cli, "status", "--prefix", lab.prefix, "--run-dir", lab.runDir, "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ fabric: "flannel", backend: "vxlan" });
    const text = await run([process.execPath, cli, "status", "--prefix", lab.prefix, "--run-dir", lab.runDir]);
    expect(text.stdout).toMatch(/^lab \w+: 3 nodes, fabric flannel \(vxlan\), pod CIDR 10\.244\.0\.0\/16$/m);
  });

  it("carries every pod pair both ways (real pings)", async () => {
    expect(await unreachablePodPairs(lab.state)).toEqual([]);
  });

  it("stale-route: node1 routes 10.244.250.0/24, which no node owns, like its flannel routes; every pod pair still reaches", async () => {
    expect(await injectFault(lab.state, "stale-route", "node1")).toMatch(/10\.244\.250\.0\/24 via 10\.244\.250\.0 dev flannel\.1 onlink/);
    expect(await ipJson(node("node1"), "route", "show", "10.244.250.0/24")).toEqual([{ dst: "10.244.250.0/24", gateway: "10.244.250.0", dev: "flannel.1", flags: ["onlink"] }]);
    expect(await unreachablePodPairs(lab.state)).toEqual([]);
  });

  it("moved-subnet: node1's route to node2's pods goes via node3's VTEP, which forwards: every pair still reaches, node1's by a detour through node3", async () => {
    await injectFault(lab.state, "moved-subnet", "node1");
    expect(await ipJson(node("node1"), "route", "show", node("node2").podCidr)).toMatchObject([{ gateway: vtep(node("node3").podCidr), dev: "flannel.1" }]);
    expect(await unreachablePodPairs(lab.state)).toEqual([]);
    const { nodePid, pod } = podOf(lab.state, "node1-pod1");
    const hops = await run(inPod(nodePid, pod.netns, ["/bin/busybox", "traceroute", "-n", "-w", "1", "-q", "1", node("node2").pods[0]!.ip!]), { timeoutMs: 15_000 });
    expect(hops.stdout).toContain(` ${vtep(node("node3").podCidr)} `);
    await wireBrownfieldFabric(lab.state);
    expect(await ipJson(node("node1"), "route", "show", node("node2").podCidr)).toMatchObject([{ gateway: vtep(node("node2").podCidr) }]);
  });

  it("stale-fdb: node2's flannel.1 gets a new MAC while node1 and node3 keep the old one: exactly the pairs between node2's pods and the others' fail, until flanneld rewires", async () => {
    const old = await macOf(node("node2"), FLANNEL.device);
    expect(await injectFault(lab.state, "stale-fdb", "node2")).toContain(`(was ${old})`);
    const fresh = await macOf(node("node2"), FLANNEL.device);
    expect(fresh).not.toBe(old);
    // node2 put back its own entries towards its peers; the peers still name the old MAC.
    expect(await ipJson(node("node2"), "-d", "route", "show", "dev", FLANNEL.device)).toHaveLength(2);
    for (const peer of [node("node1"), node("node3")]) {
      expect(await ipJson(peer, "neigh", "show", vtep(node("node2").podCidr), "dev", FLANNEL.device)).toMatchObject([{ lladdr: old }]);
    }
    expect(await unreachablePodPairs(lab.state)).toEqual(crossPairs(lab.state.nodes, "node2"));
    await wireBrownfieldFabric(lab.state);
    expect(await unreachablePodPairs(lab.state)).toEqual([]);
  });

  it("wrong-vni: node3's flannel.1 carries VNI 2 with its MAC and entries kept: exactly the pairs between node3's pods and the others' fail, until flanneld re-creates it", async () => {
    const mac = await macOf(node("node3"), FLANNEL.device);
    await injectFault(lab.state, "wrong-vni", "node3");
    expect(await ipJson(node("node3"), "-d", "link", "show", FLANNEL.device)).toMatchObject([{ address: mac, linkinfo: { info_data: { id: 2, port: 8472 } } }]);
    expect(await unreachablePodPairs(lab.state)).toEqual(crossPairs(lab.state.nodes, "node3"));
    await wireBrownfieldFabric(lab.state);
    expect(await ipJson(node("node3"), "-d", "link", "show", FLANNEL.device)).toMatchObject([{ address: mac, linkinfo: { info_data: { id: 1 } } }]);
    expect(await unreachablePodPairs(lab.state)).toEqual([]);
  });

  it("still has nothing of netatlas's after the faults, and goes down leaving nothing", async () => {
    expect(await netatlasOwned(lab.state.nodes)).toEqual([]);
    await expectLabGone(lab);
  });
});

describe("a 3-node host-gw-manual lab: plain routes via the peers' underlay addresses", { timeout: 30_000 }, () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("bh"), { nodes: 3, pods: 1, fabric: "host-gw-manual", agents: false });
  }, 60_000);
  afterAll(() => removeLab(lab));

  const node = (name: string) => lab.state.nodes.find((n) => n.name === name)!;

  it("routes each peer's pod subnet via its underlay address with the kernel's default protocol, makes nothing netatlas owns, and carries every pod pair", async () => {
    for (const n of lab.state.nodes) {
      const peers = lab.state.nodes.filter((p) => p.name !== n.name);
      const routes = await ipJson<{ dst: string }>(n, "-d", "route", "show", "table", "main");
      expect(routes.filter((r) => peers.some((p) => p.podCidr === r.dst))).toEqual(peers.map((p) => ({ type: "unicast", dst: p.podCidr, gateway: p.underlayIp, dev: "eth0", protocol: "boot", scope: "global", flags: [] })));
      expect(await ipJson(n, "-d", "link", "show", "type", "vxlan")).toEqual([]);
    }
    expect(await netatlasOwned(lab.state.nodes)).toEqual([]);
    expect(await unreachablePodPairs(lab.state)).toEqual([]);
  });

  it("refuses stale-fdb and wrong-vni, naming the fabric, and changes nothing", async () => {
    for (const kind of ["stale-fdb", "wrong-vni"] as const) {
      await expect(injectFault(lab.state, kind, "node2")).rejects.toThrow(new RegExp(`^${kind} needs a VXLAN fabric .*runs --fabric host-gw-manual`));
    }
    expect(await unreachablePodPairs(lab.state)).toEqual([]);
  });

  it("stale-route and moved-subnet change node1's routes as a forgotten node and a moved subnet would; node3 forwards the detour, so every pair still reaches", async () => {
    await injectFault(lab.state, "stale-route", "node1");
    await injectFault(lab.state, "moved-subnet", "node1");
    expect(await ipJson(node("node1"), "route", "show", "10.244.250.0/24")).toEqual([{ dst: "10.244.250.0/24", gateway: "192.168.50.250", dev: "eth0", flags: [] }]);
    expect(await ipJson(node("node1"), "route", "show", node("node2").podCidr)).toEqual([{ dst: node("node2").podCidr, gateway: node("node3").underlayIp, dev: "eth0", flags: [] }]);
    expect(await unreachablePodPairs(lab.state)).toEqual([]);
  });

  it("goes down leaving nothing", async () => {
    await expectLabGone(lab);
  });
});

describe("netatlas-lab up --fabric", () => {
  it.each([
    ["flannel", "host-gw", "vxlan"],
    ["flannel", "none", "vxlan"],
    ["host-gw-manual", "vxlan", "host-gw"],
  ])("refuses --fabric %s with --backend %s, naming both flags, and exits 2", async (fabric, backend, implied) => {
    const result = await run([process.execPath, cli, "up", "--prefix", "nolab", "--run-dir", "/nonexistent/lab", "--fabric", fabric, "--backend", backend], { okCodes: [2] });
    expect(result.stderr).toContain(`--backend ${backend} contradicts --fabric ${fabric}, which is always ${implied}`);
  });

  it("refuses an unknown fabric, listing the ones it has", async () => {
    const result = await run([process.execPath, cli, "up", "--fabric", "calico"], { okCodes: [2] });
    expect(result.stderr).toMatch(/--fabric.*calico.*netatlas, flannel, host-gw-manual/s);
  });
});
