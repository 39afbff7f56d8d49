import type { Runtime } from "../runtime";
import { AuditFilter, auditEntries, auditView } from "../store/audit-store";
import { signedInCaller } from "./request-caller";

const FILTER_PARAMS = ["action", "actor", "node", "from", "to"] as const;

/** The audit log as a JSON download, filtered like the page; for anyone signed in (a session or an API token, admin or viewer). */
export async function auditExport(rt: Runtime, req: Request): Promise<Response> {
  const caller = await signedInCaller(rt, req);
  if (caller instanceof Response) return caller;
  const params = new URL(req.url).searchParams;
  const filter = AuditFilter.safeParse({ ...Object.fromEntries(FILTER_PARAMS.flatMap((k) => (params.get(k) ? [[k, params.get(k)]] : []))), limit: 10_000 });
  if (!filter.success) return Response.json({ error: filter.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  const entries = (await auditEntries(rt.database.db, filter.data)).map(auditView);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(JSON.stringify({ exportedAt: new Date().toISOString(), filter: filter.data, entries }, null, 2), {
    headers: { "content-type": "application/json", "content-disposition": `attachment; filename="netatlas-audit-${stamp}.json"`, "cache-control": "no-store" },
  });
}
