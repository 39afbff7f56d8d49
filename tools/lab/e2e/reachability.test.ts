import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TRACE_PACKET_SIZE, fleetFindings, nodeFindings, reachability, type Finding, type NodeSnapshot, type ReachabilityCell, type ReachabilityMatrix, mapBounded } from "@netatlas/core";
import { createAgentClient } from "@netatlas/agent-api";
import { run } from "@netatlas/linux";
import { uniquePrefix, waitFor } from "@netatlas/linux/testing";
import { FLANNEL, injectFault, inNodeNet, inPod, readTokens, wireBrownfieldFabric, type LabFabric, type NodeState } from "../src/index.js";
import { buildLab, echoFromPod, podOf, removeLab, type TestLab } from "./support.js";

// Needs root. Issue 15's acceptance against real probes: on a lab whose pod
// fabric netatlas did not make (flannel's, hand-made host-gw routes), with no
// FleetSpec, the reachability matrix over the agents' snapshots fails exactly
// the pairs whose real probe fails, every failing pair has a fleet finding
// naming both nodes and the kernel object at fault, and a healthy fleet has no
// fabric finding and every cell delivered. Each fault is injected, the agents
// are read until their snapshots show it, the matrix and the findings are
// computed and each pair is probed from the very pods the matrix used; then
// the fault is undone and the fabric wired again, as its daemon converges.

const FABRIC_CODES = /^(fabric-|vxlan-|subnet-owned-twice|pod-ip-duplicate)/;
/** What a finding must name for a person to find the fault in the kernel. */
const KERNEL_OBJECT = /\broute\b|neighbour entry|FDB entry|device|\bMTU\b|\bmtu\b/;
/** The matrix's packets: its default size, which the probes send too. */
const PACKET_SIZE = DEFAULT_TRACE_PACKET_SIZE;
const PROBES_AT_ONCE = 6;

/** What the fleet's agents report, and what core makes of it. */
interface Reading {
  snapshots: NodeSnapshot[];
  matrix: ReachabilityMatrix;
  fabric: Finding[];
}

/** What a test step has at hand: the lab, the last healthy reading, and each node's representative pod (the matrix's endpoint). */
interface Context {
  lab: TestLab;
  healthy: Reading;
  node: (name: string) => NodeState & { pid: number };
  representative: (node: string) => string;
}

interface FaultCase {
  name: string;
  /** Injects the fault; returns what the agents' snapshots show once they have collected it. */
  inject: (ctx: Context) => Promise<(fleet: NodeSnapshot[]) => boolean>;
  /** What puts the node back, beyond wiring the fabric again (which every case gets). */
  undo?: (ctx: Context) => Promise<void>;
  /** The node pairs that lose their pods' echoes, both ways listed. */
  fails: string[];
  /** The fabric findings' codes. */
  codes: string[];
  /** Whether the findings' fixes, run as they are written, mend it (a VXLAN device's VNI cannot be changed in place: that finding has a hint, no fix). */
  mendedByFixes?: boolean;
  /** More to check on the reading with the fault. */
  also?: (reading: Reading, ctx: Context) => Promise<void>;
}

const hostOf = (s: NodeSnapshot) => s.namespaces.find((n) => n.kind === "host")!.id;
const snapshotOf = (fleet: readonly NodeSnapshot[], node: string) => fleet.find((s) => s.node === node)!;
const routeIn = (fleet: readonly NodeSnapshot[], node: string, dst: string) => {
  const s = snapshotOf(fleet, node);
  return s.routes.find((r) => r.netns === hostOf(s) && r.table === "main" && r.dst === dst);
};
const linkIn = (fleet: readonly NodeSnapshot[], node: string, name: string, netns?: number) => {
  const s = snapshotOf(fleet, node);
  return s.links.find((l) => l.netns === (netns ?? hostOf(s)) && l.name === name);
};
const both = (a: string, b: string) => [`${a} -> ${b}`, `${b} -> ${a}`];
const pairOf = (c: Pick<ReachabilityCell, "from" | "to">) => `${c.from} -> ${c.to}`;
const failing = (m: ReachabilityMatrix) => m.cells.filter((c) => c.state !== "delivered").map(pairOf).sort();
const podName = (endpointName: string) => endpointName.split("/").at(-1)!;

/**
 * Runs the findings' fixes as a person types them on the nodes they name
 * ("node1: ip route replace …; node3: bridge fdb replace …"), each command once,
 * as argv: never through a shell.
 */
async function runFixes(lab: TestLab, findings: readonly Finding[]): Promise<string[]> {
  const steps = [...new Set(findings.flatMap((f) => f.fix?.split("; ") ?? []))];
  for (const step of steps) {
    const [, name, command] = /^([\w-]+): (.+)$/.exec(step) ?? [];
    const node = lab.state.nodes.find((n) => n.name === name);
    const argv = command?.split(" ") ?? [];
    if (!node?.pid || !["ip", "bridge"].includes(argv[0] ?? "")) throw new Error(`fix "${step}" names no lab node or is not an ip/bridge command`);
    await run(inNodeNet(node.pid, argv));
  }
  return steps;
}

const ipIn = (node: NodeState & { pid: number }, ...args: string[]) => run(inNodeNet(node.pid, ["ip", ...args]));

/** Each node routes every other node's pod subnet in its snapshot: a fabric wired again, or a VXLAN device re-created with its routes put back. */
const routesAll = (ctx: Context, node: string) => (fleet: readonly NodeSnapshot[]) => ctx.lab.state.nodes.every((n) => n.name === node || routeIn(fleet, node, n.podCidr) !== undefined);

/** The ordered pairs whose matrix cell fails but whose fleet finding naming both nodes and a kernel object is missing. */
function unexplained(reading: Reading): string[] {
  const nodesOf = (f: Finding) => new Set(f.subjects.map((s) => s.split("/")[0]));
  return reading.matrix.cells
    .filter((c) => c.state !== "delivered" && !reading.fabric.some((f) => nodesOf(f).has(c.from) && nodesOf(f).has(c.to) && KERNEL_OBJECT.test(`${f.message} ${f.fix ?? ""}`)))
    .map(pairOf);
}

/** node1 loses its route to node2's pods; `fails` depends on what else carries the pair's packets. */
const deleteRoute = (fails: string[]): FaultCase => ({
  name: "delete-route on node1 (its route to node2's pods)",
  inject: async (ctx) => {
    await injectFault(ctx.lab.state, "delete-route", "node1");
    return (fleet) => !routeIn(fleet, "node1", ctx.node("node2").podCidr);
  },
  fails,
  codes: ["fabric-route-missing"],
  mendedByFixes: true,
});

/** The faults of every fabric: a route left behind, one that leads to the wrong node, the representative's eth0 down, the uplink without a default route. */
const FABRIC_FAULTS: FaultCase[] = [
  {
    name: "stale-route on node1 (to 10.244.250.0/24, which no node owns)",
    inject: async (ctx) => {
      await injectFault(ctx.lab.state, "stale-route", "node1");
      return (fleet) => routeIn(fleet, "node1", "10.244.250.0/24") !== undefined;
    },
    // Gone already when the finding's fix ran (exit 2: no such route).
    undo: async (ctx) => void (await run(inNodeNet(ctx.node("node1").pid, ["ip", "route", "del", "10.244.250.0/24"]), { okCodes: [0, 2] })),
    fails: [],
    codes: ["fabric-route-stale"],
    mendedByFixes: true,
  },
  {
    name: "moved-subnet on node1 (node2's pods routed to node3, which forwards them)",
    inject: async (ctx) => {
      const cidr = ctx.node("node2").podCidr;
      const via = routeIn(ctx.healthy.snapshots, "node1", cidr)!.via;
      await injectFault(ctx.lab.state, "moved-subnet", "node1");
      return (fleet) => ![undefined, via].includes(routeIn(fleet, "node1", cidr)?.via);
    },
    fails: [],
    codes: ["fabric-route-wrong-node"],
    mendedByFixes: true,
  },
  {
    name: "link-down of node2's representative pod (its eth0 down inside it)",
    inject: async (ctx) => {
      const netns = ctx.healthy.matrix.cells.find((c) => c.to === "node2")!.destination!.netns;
      await injectFault(ctx.lab.state, "link-down", `node2/${ctx.representative("node2")}`);
      return (fleet) => linkIn(fleet, "node2", "eth0", netns)?.flags.includes("UP") === false;
    },
    // The kernel drops a device's IPv4 routes when it goes down: the connected one comes back with it, the default route is the CNI plugin's to put back.
    undo: async (ctx) => {
      const pod = ctx.representative("node2");
      const { nodePid, pod: state } = podOf(ctx.lab.state, pod);
      const netns = ctx.healthy.matrix.cells.find((c) => c.to === "node2")!.destination!.netns;
      const gateway = snapshotOf(ctx.healthy.snapshots, "node2").routes.find((r) => r.netns === netns && r.dst === "0.0.0.0/0")!.via!;
      await run(inPod(nodePid, state.netns, ["ip", "link", "set", "eth0", "up"]));
      await run(inPod(nodePid, state.netns, ["ip", "route", "replace", "default", "via", gateway, "dev", "eth0"]));
    },
    fails: [...both("node1", "node2"), ...both("node3", "node2")],
    // A pod's own interface is no fault of the fabric: the cells name it.
    codes: [],
    also: async (reading, ctx) => {
      const pod = `pod default/${ctx.representative("node2")}`;
      const failed = reading.matrix.cells.filter((c) => c.state !== "delivered");
      for (const c of failed.filter((cell) => cell.to === "node2")) expect(c.message, pairOf(c)).toMatch(new RegExp(`peer eth0 in ${pod} is down`));
      // The kernel took the pod's routes away with its eth0.
      for (const c of failed.filter((cell) => cell.from === "node2")) expect(c.message, pairOf(c)).toMatch(new RegExp(`^node2 \\(${pod}\\) has no route to `));
    },
  },
  {
    name: "node2 without a default route (its uplink eth0, a veth whose peer is in the underlay namespace, carries its address only)",
    inject: async (ctx) => {
      await ipIn(ctx.node("node2"), "route", "del", "default");
      return (fleet) => routeIn(fleet, "node2", "0.0.0.0/0") === undefined;
    },
    undo: async (ctx) => void (await ipIn(ctx.node("node2"), "route", "replace", "default", "via", ctx.lab.state.underlay.gateway, "dev", "eth0")),
    fails: [],
    codes: [],
    also: async (reading, ctx) => {
      const node2 = snapshotOf(reading.snapshots, "node2");
      // The case the rule is about: a veth whose peer the node cannot see.
      const eth0 = linkIn(reading.snapshots, "node2", "eth0");
      expect(eth0).toMatchObject({ kind: "veth", linkIndex: expect.any(Number) });
      expect(eth0?.peer).toBeUndefined();
      const agentFindings = await createAgentClient({ url: `unix:${ctx.node("node2").agent!.socket}`, token: readTokens(ctx.lab.state.tokenFile).read }).findings.query();
      for (const found of [nodeFindings(node2), agentFindings]) {
        expect(found.filter((f) => f.code === "veth-peer-missing" && f.subjects.some((s) => s.endsWith("/eth0")))).toEqual([]);
        expect(found.filter((f) => /ip link (del|delete) eth0\b/.test(`${f.hint ?? ""} ${f.fix ?? ""}`))).toEqual([]);
      }
    },
  },
];

/** The faults only a VXLAN fabric has, and its MTU fault: the matrix's 1400-byte packets are 1450 bytes in VXLAN, more than the shrunk eth0 takes. */
const VXLAN_FAULTS: FaultCase[] = [
  {
    name: "stale-fdb on node2 (flannel.1 re-created with a new MAC)",
    inject: async (ctx) => {
      const old = linkIn(ctx.healthy.snapshots, "node2", FLANNEL.device)!.mac;
      await injectFault(ctx.lab.state, "stale-fdb", "node2");
      return (fleet) => linkIn(fleet, "node2", FLANNEL.device)?.mac !== old && routesAll(ctx, "node2")(fleet);
    },
    fails: [...both("node1", "node2"), ...both("node3", "node2")],
    codes: ["vxlan-fdb-missing", "vxlan-neighbor-stale"],
    mendedByFixes: true,
  },
  {
    name: "wrong-vni on node3 (flannel.1 with VNI 2)",
    inject: async (ctx) => {
      await injectFault(ctx.lab.state, "wrong-vni", "node3");
      return (fleet) => linkIn(fleet, "node3", FLANNEL.device)?.vxlan?.vni === FLANNEL.vni + 1 && routesAll(ctx, "node3")(fleet);
    },
    fails: [...both("node1", "node3"), ...both("node2", "node3")],
    codes: ["vxlan-vni-mismatch"],
  },
  {
    name: "wrong-mtu on node1 (eth0 MTU 1400 under flannel.1's 1450)",
    inject: async (ctx) => {
      await injectFault(ctx.lab.state, "wrong-mtu", "node1");
      return (fleet) => linkIn(fleet, "node1", "eth0")?.mtu === 1_400;
    },
    undo: async (ctx) => void (await ipIn(ctx.node("node1"), "link", "set", "eth0", "mtu", "1500")),
    fails: [...both("node1", "node2"), ...both("node1", "node3")],
    codes: ["fabric-mtu"],
    mendedByFixes: true,
  },
];

/** Agreement figures of every step, printed when the file ends. */
const figures: string[] = [];

function fabricSuite(fabric: LabFabric, faults: readonly FaultCase[]) {
  describe(`reachability on a 3-node ${fabric} lab (2 pods per node, agents), no FleetSpec, against real probes`, { timeout: 30_000 }, () => {
    let lab: TestLab;
    let healthy: Reading;
    let tokens: { read: string };
    beforeAll(async () => {
      lab = await buildLab(uniquePrefix("rm"), { nodes: 3, pods: 2, fabric, agents: true });
      tokens = readTokens(lab.state.tokenFile);
    }, 90_000);
    afterAll(() => removeLab(lab));

    const read = async (): Promise<Reading> => {
      const snapshots = await Promise.all(lab.state.nodes.map((n) => createAgentClient({ url: `unix:${n.agent!.socket}`, token: tokens.read }).snapshot.query({ maxAgeMs: 0 })));
      return { snapshots, matrix: reachability(snapshots), fabric: fleetFindings(snapshots).filter((f) => FABRIC_CODES.test(f.code)) };
    };
    /** Reads the agents until `seen` holds; on a timeout, the last reading (the assertions then say what differs). */
    const readUntil = async (what: string, seen: (r: Reading) => boolean, timeoutMs = 15_000): Promise<Reading> =>
      waitFor(what, async () => {
        const r = await read();
        return seen(r) ? r : undefined;
      }, timeoutMs).catch(read);
    const context = (): Context => ({
      lab,
      healthy,
      node: (name) => lab.state.nodes.find((n) => n.name === name) as NodeState & { pid: number },
      representative: (node) => podName(healthy.matrix.cells.find((c) => c.to === node)!.destination!.name),
    });

    /** Every cell against a real echo between the same two pods: the rows where they disagree, and the pairs the probes fail. */
    async function probeMatrix(reading: Reading): Promise<{ disagreements: string[]; unreached: string[] }> {
      const cells = reading.matrix.cells;
      expect(cells.filter((c) => !c.source || !c.destination).map(pairOf)).toEqual([]);
      const replied = await mapBounded(cells, PROBES_AT_ONCE, (c) => echoFromPod(lab.state, podName(c.source!.name), c.destination!.ip, PACKET_SIZE));
      const rows = cells.map((c, i) => ({ c, replied: replied[i]! }));
      return {
        disagreements: rows.filter(({ c, replied: r }) => (c.state === "delivered") !== r).map(({ c, replied: r }) => `${pairOf(c)}: matrix ${c.state} (${c.message}), probe ${r ? "replied" : "no reply"}`),
        unreached: rows.filter(({ replied: r }) => !r).map(({ c }) => pairOf(c)).sort(),
      };
    }

    /** The whole acceptance on one reading: matrix and probes agree pair by pair, the expected pairs fail, each with its finding. */
    async function expectAgreement(step: string, reading: Reading, fails: readonly string[], codes: readonly string[]): Promise<void> {
      const { disagreements, unreached } = await probeMatrix(reading);
      figures.push(`${fabric} ${step}: ${reading.matrix.cells.length} pairs, matrix fails ${failing(reading.matrix).length} (traced ${reading.matrix.summary.traced}, composed ${reading.matrix.summary.composed}), probes fail ${unreached.length}, ${disagreements.length ? `${disagreements.length} disagree` : "all agree"}; findings ${[...new Set(reading.fabric.map((f) => f.code))].join(", ") || "none"}`);
      expect(disagreements).toEqual([]);
      expect(failing(reading.matrix)).toEqual([...fails].sort());
      expect([...new Set(reading.fabric.map((f) => f.code))].sort(), reading.fabric.map((f) => f.message).join("\n")).toEqual([...codes].sort());
      if (codes.length) expect(unexplained(reading)).toEqual([]);
      // The probes are ICMP; the matrix traces TCP by default: nothing in the lab tells them apart.
      expect(reachability(reading.snapshots, { protocol: "icmp" }).cells.map((c) => `${pairOf(c)} ${c.state}`)).toEqual(reading.matrix.cells.map((c) => `${pairOf(c)} ${c.state}`));
    }

    const isHealthy = (r: Reading) => r.fabric.length === 0 && r.matrix.summary.delivered === r.matrix.summary.pairs;

    it("healthy: no fabric finding, every cell delivered, and every pair's probe gets its reply", async () => {
      healthy = await readUntil("a healthy fleet in the agents' snapshots", isHealthy);
      expect(healthy.matrix.summary).toMatchObject({ pairs: 6, delivered: 6, failed: 0, uncertain: 0, noEndpoint: 0 });
      await expectAgreement("healthy", healthy, [], []);
    });

    for (const fault of faults) {
      it(`${fault.name}: the failing cells are the pairs whose probes fail, each with a finding naming both nodes and the kernel object; healthy again once undone`, async () => {
        const ctx = context();
        const seen = await fault.inject(ctx);
        try {
          const reading = await readUntil(`${fault.name} in the agents' snapshots`, (r) => seen(r.snapshots));
          expect(seen(reading.snapshots), `the agents never reported ${fault.name}`).toBe(true);
          await expectAgreement(fault.name.split(" (")[0]!, reading, fault.fails, fault.codes);
          await fault.also?.(reading, ctx);
          if (fault.mendedByFixes) {
            expect(reading.fabric.filter((f) => !f.fix).map((f) => f.message)).toEqual([]);
            const steps = await runFixes(lab, reading.fabric);
            const mended = await readUntil(`the fleet mended by ${steps.join("; ")}`, isHealthy);
            figures.push(`${fabric} ${fault.name.split(" (")[0]!}: mended by ${steps.join("; ")}`);
            expect(mended.fabric.map((f) => f.message)).toEqual([]);
            expect(failing(mended.matrix)).toEqual([]);
            expect((await probeMatrix(mended)).unreached).toEqual([]);
          }
        } finally {
          // Undone whatever the checks said, so that the next fault starts from a healthy fleet.
          await fault.undo?.(ctx);
          await wireBrownfieldFabric(lab.state);
        }
        const again = await readUntil("the fleet healthy again", isHealthy);
        expect(again.fabric).toEqual([]);
        expect((await probeMatrix(again)).unreached).toEqual([]);
        expect(again.matrix.summary.delivered).toBe(6);
      });
    }
  });
}

fabricSuite("flannel", [deleteRoute(both("node1", "node2")), ...FABRIC_FAULTS, ...VXLAN_FAULTS]);
// host-gw-manual has no VXLAN device (the lab refuses stale-fdb and wrong-vni there), and its wrong-mtu (a pod's
// eth0 at 9000 behind a bridge of 1500) stops no packet of the matrix's size.
// The bridge plugin masquerades what node2's pods send to node1 (host-gw-manual has no rule that exempts the pod
// CIDR, as flannel's has): node1 replies to node2's underlay address, which it still reaches.
fabricSuite("host-gw-manual", [deleteRoute(["node1 -> node2"]), ...FABRIC_FAULTS]);

afterAll(() => console.log(`reachability against real probes (${PACKET_SIZE}-byte echoes):\n${figures.join("\n")}`));
