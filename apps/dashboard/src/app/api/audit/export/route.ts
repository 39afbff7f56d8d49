import { auditExport } from "../../../../server/api/audit-export";
import { runtime } from "../../../../server/runtime";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return auditExport(await runtime(), req);
}
