import { trace, type ReachabilityCell } from "@netatlas/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { MOST_CELLS_VERIFIED } from "../../../fleet/cell-verification";
import { adminTokenOf, probeFrom } from "../../fleet/agent-probe";
import { fleetIndex } from "../../fleet/fleet-basis";
import { fabricNow, MATRIX_PACKET, reachabilityGridNow, reachabilityNow } from "../../fleet/reachability-now";
import { verifyCells, type PairProbe } from "../../fleet/verify-cells";
import { dashboardNodeFor } from "../../reconcile/node-agents";
import { audit } from "../../store/audit-store";
import type { Runtime } from "../../runtime";
import { adminProcedure, router, signedInProcedure } from "../trpc";

const MatrixNode = z.string().min(1, "name a node of the matrix").max(255, "a node name has at most 255 characters");
const Pair = z.object({ from: MatrixNode, to: MatrixNode }).strict();

/** Probes at a time: the lab's few cells in a few seconds, a big fleet's row without a probe per node at once. */
const VERIFY_CONCURRENCY = 8;
/** Two attempts of a second each: a cell that gets no reply takes about that long. */
const PROBE = { count: 2, timeoutMs: 1_000 } as const;

function cellOf(cells: readonly ReachabilityCell[], field: string, pair: z.infer<typeof Pair>, nodes: readonly string[]): ReachabilityCell {
  const cell = cells.find((c) => c.from === pair.from && c.to === pair.to);
  if (cell) return cell;
  const unknown = [pair.from, pair.to].find((n) => !nodes.includes(n));
  const why = unknown ? `"${unknown}" is not a node of the matrix (it has ${nodes.length} nodes with a snapshot)` : `a node has no cell to itself`;
  throw new TRPCError({ code: "BAD_REQUEST", message: `${field}: ${why}` });
}

/** The source node's agent sends the probe (the Trace page's Verify path): its admin token never leaves the server. */
const agentProbe =
  (rt: Runtime): PairProbe =>
  (pair) => {
    const state = dashboardNodeFor(rt.poller.nodes(), pair.from);
    if (!state) return Promise.reject(new Error(`node "${pair.from}" is no longer in the fleet`));
    const adminToken = adminTokenOf(rt.config, state.target);
    if (!adminToken) return Promise.reject(new Error(`node "${state.target.name}" has no admin token; add "adminToken" to its entry in NETATLAS_AGENTS to verify from it`));
    const input = { netns: pair.source.netns, target: pair.destination.ip, ...MATRIX_PACKET, ...PROBE };
    return probeFrom(state.target, adminToken, input, rt.config.agentTimeoutMs).catch((error: unknown) => {
      throw new Error(`agent ${state.target.name} could not probe: ${(error as Error).message}`);
    });
  };

/** The Reachability page: the matrix as a grid, one pair with its trace, the inferred fabric, and real probes of cells (admin). */
export const reachabilityRouter = router({
  /** Every cell's state in a character, and the verdicts of those not delivered; built once per content version. */
  grid: signedInProcedure.query(async ({ ctx }) => {
    return { ...(await reachabilityGridNow(ctx.rt)), pollIntervalMs: ctx.rt.config.pollIntervalMs };
  }),
  /** "N of M node pairs fail", for the Fleet and Findings pages. */
  summary: signedInProcedure.query(async ({ ctx }) => (await reachabilityNow(ctx.rt)).summary),
  /** One cell whole, and the trace of its pair between the same two endpoints: the path the page draws with its deciding hop lit. */
  pair: signedInProcedure.input(Pair).query(async ({ ctx, input }) => {
    const matrix = await reachabilityNow(ctx.rt);
    const cell = cellOf(matrix.cells, "pair", input, matrix.nodes);
    const traced = cell.source && cell.destination ? trace(fleetIndex(ctx.rt), { netns: { node: cell.from, id: cell.source.netns } }, { ip: cell.destination.ip, protocol: MATRIX_PACKET.protocol }, { packetSize: MATRIX_PACKET.packetSize }) : null;
    return { cell, trace: traced };
  }),
  /** Each node's pod subnets with what they were inferred from, tunnels and underlay addresses. */
  fabric: signedInProcedure.query(({ ctx }) => fabricNow(ctx.rt)),
  /**
   * Real probes of some cells through their source nodes' agents, each held against the
   * cell's state; a cell that cannot be probed says why. Admin; audited before anything is sent.
   */
  verify: adminProcedure
    .input(z.object({ cells: z.array(Pair).min(1, "choose at least one cell to verify").max(MOST_CELLS_VERIFIED, `at most ${MOST_CELLS_VERIFIED} cells at once: verify a row or a column at a time`) }).strict())
    .mutation(async ({ ctx, input }) => {
      const matrix = await reachabilityNow(ctx.rt);
      const cells = input.cells.map((pair, i) => cellOf(matrix.cells, `cells.${i}`, pair, matrix.nodes));
      const pairs = cells.map((c) => `${c.from}->${c.to}`);
      await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "probe", target: cells.length === 1 ? cells[0]!.from : "fleet", detail: { reachability: true, cells: cells.length, pairs: pairs.slice(0, 50), protocol: MATRIX_PACKET.protocol } });
      return verifyCells(cells, agentProbe(ctx.rt), { concurrency: VERIFY_CONCURRENCY });
    }),
});
