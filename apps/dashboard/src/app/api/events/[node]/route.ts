import { NodeName } from "../../../../server/agent-target";
import { cookieValue, sessionRole, SESSION_COOKIE } from "../../../../server/auth/sessions";
import { eventSseStream } from "../../../../server/fleet/event-sse";
import { runtime } from "../../../../server/runtime";

export const dynamic = "force-dynamic";

/**
 * A node's live agent events as server-sent events, for the node page: pushed
 * as the dashboard's own subscription to the agent receives them. Signed-in
 * sessions only; EventSource reconnects by itself and resumes by Last-Event-ID.
 */
export async function GET(req: Request, { params }: { params: Promise<{ node: string }> }) {
  const rt = await runtime();
  if (!(await sessionRole(rt.database.db, cookieValue(req.headers.get("cookie"), SESSION_COOKIE)))) return Response.json({ error: "sign in first" }, { status: 401 });
  const name = NodeName.safeParse((await params).node);
  const state = name.success ? rt.poller.node(name.data) : undefined;
  if (!name.success || !state) return Response.json({ error: `node: "${(await params).node}" is not in the fleet` }, { status: 404 });
  const stream = eventSseStream({
    recent: state.events,
    lastEventId: req.headers.get("last-event-id"),
    subscribe: (listener) => rt.poller.liveEvents.subscribe(name.data, listener),
    signal: req.signal,
  });
  // no-transform: Next's compression would otherwise hold the stream back.
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" } });
}
