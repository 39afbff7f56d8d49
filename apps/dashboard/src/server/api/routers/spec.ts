import { dockerAllocationOf, FleetSpec } from "@netatlas/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { suggestNode } from "../../../fleet/underlay-guess";
import { audit } from "../../store/audit-store";
import { latestSpec, saveSpec, SpecAllocationError, specHistory, specVersion, SpecVersionConflict } from "../../reconcile/spec-store";
import { adminProcedure, router, signedInProcedure } from "../trpc";
import { rowNumber } from "../row-id";

const Version = z.object({ version: rowNumber("version") }).strict();

/** The fleet spec: its versions (who, when, what changed) and saving a new one (admin, audited). */
export const specRouter = router({
  latest: signedInProcedure.query(async ({ ctx }) => (await latestSpec(ctx.rt.database.db)) ?? null),
  version: signedInProcedure.input(Version).query(async ({ ctx, input }) => {
    const found = await specVersion(ctx.rt.database.db, input.version);
    if (!found) throw new TRPCError({ code: "NOT_FOUND", message: `version: there is no spec version ${input.version}` });
    return found;
  }),
  history: signedInProcedure.query(({ ctx }) => specHistory(ctx.rt.database.db)),
  /** The fleet's nodes as spec nodes (name, underlay address and device), to prefill the editor. */
  suggestedNodes: signedInProcedure.query(({ ctx }) =>
    ctx.rt.poller
      .nodes()
      .flatMap((s) => (s.snapshot ? [suggestNode(s.snapshot)] : []))
      .flatMap((n) => (n ? [n] : []))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
  ),
  /** `spec` is checked by core's FleetSpec; each error comes back keyed by its field path, like the editor shows it. */
  save: adminProcedure.input(z.object({ spec: z.unknown(), baseVersion: rowNumber("baseVersion").nullable() }).strict()).mutation(async ({ ctx, input }) => {
    const checked = FleetSpec.safeParse(input.spec);
    // zod's own error as the cause, so each issue reaches the editor keyed by its field path.
    if (!checked.success) throw new TRPCError({ code: "BAD_REQUEST", message: checked.error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`).join("; "), cause: checked.error });
    try {
      const dockerNow = dockerAllocationOf(Object.fromEntries(ctx.rt.poller.nodes().flatMap((s) => (s.snapshot ? [[s.snapshot.node, s.snapshot.dockerNetworks]] : []))));
      const saved = await saveSpec(ctx.rt.database.db, checked.data, ctx.caller.actor, input.baseVersion, dockerNow);
      await audit(ctx.rt.database.db, { actor: ctx.caller.actor, action: "spec-change", target: "fleet", detail: { version: saved.version, changes: saved.changes } });
      return saved;
    } catch (error) {
      if (error instanceof SpecVersionConflict) throw new TRPCError({ code: "CONFLICT", message: `form: ${error.message}` });
      if (error instanceof SpecAllocationError) throw new TRPCError({ code: "BAD_REQUEST", message: `form: ${error.message}` });
      throw error;
    }
  }),
});
