import { topologyGraph } from "@netatlas/core";
import { z } from "zod";
import { concernsNode, fleetPods, fleetRow, groupFindings } from "../../../fleet/aggregate";
import { demoHints } from "../../../fleet/demo-faults";
import { dockerPage } from "../../../fleet/docker-page";
import { NodeName } from "../../agent-target";
import { findingKey, storedFindings } from "../../store/findings-store";
import { memoOnContent } from "../../fleet/content-memo";
import { savedTruth } from "../../fleet/fleet-basis";
import { fleetFindingsNow } from "../../fleet/fleet-findings-now";
import { reachabilityNow } from "../../fleet/reachability-now";
import { toNodeView } from "../node-views";
import { router, signedInProcedure } from "../trpc";
import { NodeFilter } from "./node-filter";

export const fleetRouter = router({
  /** One row per node; answered from memory, never waits for an agent. */
  overview: signedInProcedure.query(({ ctx }) => {
    const now = Date.now();
    return { now, pollIntervalMs: ctx.rt.config.pollIntervalMs, rows: ctx.rt.poller.nodes().map((s) => fleetRow(toNodeView(s), now, ctx.rt.config.pollIntervalMs)).sort((a, b) => a.name.localeCompare(b.name)) };
  }),
  /**
   * The Docker page of one node or all, built here from the latest snapshots:
   * network views, the across-hosts table and (fleet-wide) the fleet findings,
   * a small part of the snapshots the browser used to fetch; kept until a snapshot changes.
   */
  docker: signedInProcedure.input(NodeFilter).query(async ({ ctx, input }) => {
    const { truth, version } = await savedTruth(ctx.rt);
    return memoOnContent(ctx.rt.poller, `docker:${input?.node ?? ""}:${version}`, () =>
      dockerPage(ctx.rt.poller.nodes().filter((s) => !input?.node || s.target.name === input.node).map((s) => ({ name: s.target.name, snapshot: s.snapshot })), !input?.node, truth),
    );
  }),
  /**
   * The topology graph of some nodes (or all), built here: its elements carry
   * what the page shows, a few MB for 5,000 elements where the snapshots are ~30 MB.
   */
  topology: signedInProcedure.input(z.object({ nodes: z.array(NodeName).max(500).optional() }).strict().optional()).query(({ ctx, input }) =>
    memoOnContent(ctx.rt.poller, `topology:${input?.nodes?.join(",") ?? "*"}`, () =>
      topologyGraph(ctx.rt.poller.nodes().flatMap((s) => (s.snapshot && (!input?.nodes || input.nodes.includes(s.target.name)) ? [{ name: s.target.name, snapshot: s.snapshot }] : []))),
    ),
  ),
  /**
   * Whether each node's pods reach each other node's, and the replies come back: one cell
   * per ordered pair of nodes (core's reachability), kept until a snapshot or the spec changes.
   * The CLI's `netatlas matrix` reads it.
   */
  reachability: signedInProcedure.query(({ ctx }) => reachabilityNow(ctx.rt)),
  /** When the fleet is the demo's lab (NETATLAS_DEMO_HINTS): the lab's faults to try and where each shows; else null. */
  demo: signedInProcedure.query(({ ctx }) => (ctx.rt.config.demoLabPrefix ? demoHints(ctx.rt.config.demoLabPrefix) : null)),
  pods: signedInProcedure.input(NodeFilter).query(({ ctx, input }) => fleetPods(ctx.rt.poller.nodes().filter((s) => !input?.node || s.target.name === input.node).map(toNodeView))),
  /**
   * Findings grouped by code, each node's and those across nodes (the fabric between them,
   * Docker across hosts; with one node, those that concern it), each with when it was first
   * seen (from the database; a finding across nodes is not stored, so it has none).
   */
  findings: signedInProcedure.input(NodeFilter).query(async ({ ctx, input }) => {
    const acrossNodes = (await fleetFindingsNow(ctx.rt)).filter((f) => !input?.node || concernsNode(f, input.node));
    const groups = groupFindings(ctx.rt.poller.nodes().filter((s) => !input?.node || s.target.name === input.node).map(toNodeView), acrossNodes);
    const firstSeen = new Map((await storedFindings(ctx.rt.database.db, input?.node)).map((r) => [`${r.node}|${r.key}`, r.firstSeenAt.getTime()]));
    return groups.map((g) => ({ ...g, items: g.items.map((f) => ({ ...f, firstSeenAt: firstSeen.get(`${f.node}|${findingKey(f)}`) ?? null })) }));
  }),
});
