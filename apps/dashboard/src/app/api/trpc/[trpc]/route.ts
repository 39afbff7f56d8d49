import { handleApiRequest } from "../../../../server/api/api-handler";
import { runtime } from "../../../../server/runtime";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  return handleApiRequest(req, runtime);
}

export { handler as GET, handler as POST };
