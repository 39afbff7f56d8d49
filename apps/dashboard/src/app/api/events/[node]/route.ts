import { liveEvents } from "../../../../server/api/live-events";
import { runtime } from "../../../../server/runtime";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ node: string }> }) {
  return liveEvents(await runtime(), req, (await params).node);
}
