import { CallerRefused, resolveCaller, type ResolvedCaller } from "../auth/caller";
import type { Runtime } from "../runtime";

/** Who sent `req` (auth/caller.ts), with this runtime's database, sign-in limiter and trusted proxies. */
export function requestCaller(rt: Runtime, req: Request): Promise<ResolvedCaller | undefined> {
  return resolveCaller({ db: rt.database.db, limiter: rt.signInLimiter, trustedProxies: rt.config.trustedProxies }, req);
}

/** For a route that answers JSON: the signed-in caller, or the answer that refuses the request (401, 429). */
export async function signedInCaller(rt: Runtime, req: Request): Promise<ResolvedCaller | Response> {
  try {
    return (await requestCaller(rt, req)) ?? Response.json({ error: "sign in first (a session, or Authorization: Bearer <API token>)" }, { status: 401 });
  } catch (error) {
    if (!(error instanceof CallerRefused)) throw error;
    return Response.json({ error: error.message }, { status: error.status, headers: error.retryAfterSeconds ? { "retry-after": String(error.retryAfterSeconds) } : {} });
  }
}
