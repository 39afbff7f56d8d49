import { auditEntries } from "../../store/audit-store";
import { adminProcedure, router } from "../trpc";

export const auditRouter = router({
  /** The newest changes made through the dashboard, newest first. */
  list: adminProcedure.query(async ({ ctx }) =>
    (await auditEntries(ctx.rt.database.db, 50)).map((e) => ({ id: e.id, at: e.at.toISOString(), actor: e.actor, action: e.action, target: e.target, detail: e.detail === null ? null : JSON.stringify(e.detail) })),
  ),
});
