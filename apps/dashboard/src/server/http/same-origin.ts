import { fromTrustedProxy } from "./client-address";

/** Why a request that may change state is refused, named as tRPC's error codes (403, 415). */
export interface ChangeRefusal {
  code: "FORBIDDEN" | "UNSUPPORTED_MEDIA_TYPE";
  message: string;
}

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host the browser addressed: the proxy's X-Forwarded-Host behind a trusted proxy, else Host. */
function dashboardHost(headers: Headers, trustedProxies: readonly string[]): string | undefined {
  const forwarded = fromTrustedProxy(headers, trustedProxies) ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return (forwarded || headers.get("host") || undefined)?.toLowerCase();
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * A request that may change state (any method but GET/HEAD/OPTIONS) must carry JSON and
 * come from the dashboard's own pages: its Origin names this host, or, without an Origin,
 * the browser says Sec-Fetch-Site: same-origin. A form on another site can post
 * multipart or text bodies cross-site without a preflight; SameSite cookies alone do not
 * cover same-site origins or older browsers. A request with a bearer token (`bearer`) need
 * only be JSON: no browser adds such a header by itself, so no other site can make one
 * carry the dashboard's credentials. Undefined when the request may go on.
 */
export function changeRefusal(req: Request, trustedProxies: readonly string[], bearer = false): ChangeRefusal | undefined {
  if (READ_METHODS.has(req.method)) return undefined;
  const contentType = req.headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
  if (contentType !== "application/json") {
    return { code: "UNSUPPORTED_MEDIA_TYPE", message: `a change must be sent as application/json, not ${contentType ? `"${contentType}"` : "without a Content-Type"}` };
  }
  if (bearer) return undefined;
  const host = dashboardHost(req.headers, trustedProxies);
  const origin = req.headers.get("origin");
  if (origin !== null) {
    if (host && originHost(origin) === host) return undefined;
    return { code: "FORBIDDEN", message: `a change must come from this dashboard's own pages: Origin "${origin.slice(0, 200)}" is not ${host ?? "this dashboard's host"}` };
  }
  if (req.headers.get("sec-fetch-site") === "same-origin") return undefined;
  return { code: "FORBIDDEN", message: "a change must come from this dashboard's own pages: the request has no Origin header (a script must send Origin: <the dashboard's URL>)" };
}
