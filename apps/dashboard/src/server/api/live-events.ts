import { NodeName } from "../agent-target";
import { SESSION_RECHECK_MS, watchSession } from "../auth/session-watch";
import { cookieValue, sessionRole, SESSION_COOKIE } from "../auth/sessions";
import { eventSseStream } from "../fleet/event-sse";
import type { Runtime } from "../runtime";

/**
 * A node's live agent events as server-sent events, for the node page: pushed
 * as the dashboard's own subscription to the agent receives them. Signed-in
 * sessions only, for as long as the session holds: a sign-out ends the stream at
 * once, an expiry at the next recheck. EventSource reconnects by itself and
 * resumes by Last-Event-ID (and, signed out, is refused and stays closed).
 */
export async function liveEvents(rt: Runtime, req: Request, node: string, recheckMs = SESSION_RECHECK_MS): Promise<Response> {
  const token = cookieValue(req.headers.get("cookie"), SESSION_COOKIE);
  if (!token || !(await sessionRole(rt.database.db, token))) return Response.json({ error: "sign in first" }, { status: 401 });
  const name = NodeName.safeParse(node);
  const state = name.success ? rt.poller.node(name.data) : undefined;
  if (!name.success || !state) return Response.json({ error: `node: "${node}" is not in the fleet` }, { status: 404 });
  const streamEnded = new AbortController();
  const sessionEnded = watchSession({ db: rt.database.db, ends: rt.sessionEnds, token, until: AbortSignal.any([req.signal, streamEnded.signal]), recheckMs });
  const stream = eventSseStream({
    recent: state.events,
    lastEventId: req.headers.get("last-event-id"),
    subscribe: (listener) => rt.poller.liveEvents.subscribe(name.data, listener),
    signal: AbortSignal.any([req.signal, sessionEnded]),
    onEnd: () => streamEnded.abort(),
  });
  // no-transform: Next's compression would otherwise hold the stream back.
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" } });
}
