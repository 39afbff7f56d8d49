import { NodeName } from "../agent-target";
import { callerOf, credentialOf } from "../auth/caller";
import { SESSION_RECHECK_MS, watchCaller } from "../auth/session-watch";
import { eventSseStream } from "../fleet/event-sse";
import type { Runtime } from "../runtime";
import { signedInCaller } from "./request-caller";

/**
 * A node's live agent events as server-sent events, for the node page: pushed
 * as the dashboard's own subscription to the agent receives them. Signed-in
 * callers only (a session or an API token), for as long as that holds: a sign-out
 * ends the stream at once; an expiry, a revoked token or a removed user at the
 * next recheck. EventSource reconnects by itself and resumes by Last-Event-ID
 * (and, signed out, is refused and stays closed).
 */
export async function liveEvents(rt: Runtime, req: Request, node: string, recheckMs = SESSION_RECHECK_MS): Promise<Response> {
  const caller = await signedInCaller(rt, req);
  if (caller instanceof Response) return caller;
  const name = NodeName.safeParse(node);
  const state = name.success ? rt.poller.node(name.data) : undefined;
  if (!name.success || !state) return Response.json({ error: `node: "${node}" is not in the fleet` }, { status: 404 });
  const streamEnded = new AbortController();
  const credential = credentialOf(req);
  const accessEnded = watchCaller({
    holds: async () => !!(await callerOf(rt.database.db, credential)),
    signOuts: caller.sessionToken ? { ends: rt.sessionEnds, token: caller.sessionToken } : undefined,
    until: AbortSignal.any([req.signal, streamEnded.signal]),
    recheckMs,
  });
  const stream = eventSseStream({
    recent: state.events,
    lastEventId: req.headers.get("last-event-id"),
    subscribe: (listener) => rt.poller.liveEvents.subscribe(name.data, listener),
    signal: AbortSignal.any([req.signal, accessEnded]),
    onEnd: () => streamEnded.abort(),
  });
  // no-transform: Next's compression would otherwise hold the stream back.
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" } });
}
