import { AuditFilter, auditEntries, auditFacets, auditView } from "../../store/audit-store";
import { router, signedInProcedure } from "../trpc";

export const auditRouter = router({
  /** Who did what through the dashboard, newest first, filtered (viewers see it too). */
  list: signedInProcedure.input(AuditFilter.optional()).query(async ({ ctx, input }) => (await auditEntries(ctx.rt.database.db, input ?? {})).map(auditView)),
  facets: signedInProcedure.query(({ ctx }) => auditFacets(ctx.rt.database.db)),
});
