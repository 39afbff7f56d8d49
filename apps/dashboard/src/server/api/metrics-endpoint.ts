import { sameSecret } from "../auth/admin-password";
import { credentialOf } from "../auth/caller";
import { clientAddress } from "../http/client-address";
import type { Runtime } from "../runtime";
import { signedInCaller } from "./request-caller";

const text = (body: string, status: number, headers: Record<string, string> = {}) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });

const retryAfter = (refusal: Response): Record<string, string> => {
  const seconds = refusal.headers.get("retry-after");
  return seconds ? { "retry-after": seconds } : {};
};

/**
 * /metrics in Prometheus's text format, off (404, saying how to turn it on) until
 * NETATLAS_METRICS_TOKEN is set. Prometheus sends that token as a bearer; anyone
 * signed in (a session or an API token, through the one resolver) may read it too.
 * A wrong token counts against its address like a wrong password, and while the
 * address waits no token is compared: not even the right one gets through (429).
 */
export async function metricsEndpoint(rt: Runtime, req: Request): Promise<Response> {
  const expected = rt.config.metricsToken;
  if (!expected) return text("metrics are off: set NETATLAS_METRICS_TOKEN (at least 32 characters) and scrape /metrics with Authorization: Bearer <that token>\n", 404);
  const credential = credentialOf(req);
  if (credential?.kind === "token") {
    const waitSeconds = rt.signInLimiter.tokenWait(clientAddress(req.headers, rt.config.trustedProxies));
    if (waitSeconds > 0) return text(`too many failed sign-ins and tokens from this address; try again in ${waitSeconds} s\n`, 429, { "retry-after": String(waitSeconds) });
  }
  if (!(credential?.kind === "token" && sameSecret(credential.secret, expected))) {
    const caller = await signedInCaller(rt, req);
    if (caller instanceof Response) return text(`metrics: ${((await caller.json()) as { error: string }).error}; Prometheus sends Authorization: Bearer <NETATLAS_METRICS_TOKEN>\n`, caller.status, { "www-authenticate": "Bearer", ...retryAfter(caller) });
  }
  // The reachability gauge is the newest matrix's, set when one is built (a page, the CLI): a scrape builds none, as a fleet of 2,000 nodes is 4 million pairs.
  return text(await rt.metrics.registry.metrics(), 200, { "content-type": rt.metrics.registry.contentType });
}
