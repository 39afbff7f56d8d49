import { TRPCError } from "@trpc/server";
import { diffSnapshots } from "@netatlas/core";
import { z } from "zod";
import { NodeName } from "../../agent-target";
import { storedEvents } from "../../store/event-store";
import { snapshotAt, snapshotTimeline } from "../../store/snapshot-store";
import { router, signedInProcedure } from "../trpc";
import { storableTime } from "../../time-input";

const Instant = (field: string) =>
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), `${field}: not a date and time (e.g. 2026-01-31T12:00)`)
    .refine((s) => Number.isNaN(Date.parse(s)) || storableTime(s), `${field}: must lie between 1970 and 9999`);

export const historyRouter = router({
  timeline: signedInProcedure.input(z.object({ node: NodeName }).strict()).query(async ({ ctx, input }) =>
    (await snapshotTimeline(ctx.rt.database.db, input.node)).map((s) => ({ id: s.id, collectedAt: s.collectedAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString() })),
  ),
  /** What changed on a node between two moments, from the stored snapshots, plus the events in between. */
  diff: signedInProcedure.input(z.object({ node: NodeName, from: Instant("from"), to: Instant("to") }).strict()).query(async ({ ctx, input }) => {
    const from = new Date(input.from);
    const to = new Date(input.to);
    if (from >= to) throw new TRPCError({ code: "BAD_REQUEST", message: "from: must be before to" });
    const db = ctx.rt.database.db;
    const [before, after] = await Promise.all([snapshotAt(db, input.node, from), snapshotAt(db, input.node, to)]);
    if (!before) throw new TRPCError({ code: "NOT_FOUND", message: `from: no snapshot of ${input.node} stored at or before ${from.toISOString()}; pick a later time` });
    if (!after) throw new TRPCError({ code: "NOT_FOUND", message: `to: no snapshot of ${input.node} stored at or before ${to.toISOString()}` });
    const events = await storedEvents(db, input.node, { from, to, limit: 500 });
    return {
      from: before.collectedAt,
      to: after.collectedAt,
      changes: diffSnapshots(before, after),
      events: events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, action: e.action, subject: e.subject, detail: e.detail })),
    };
  }),
});
