import { TRPCClientError } from "@trpc/client";
import { UsageError } from "../usage-error.js";

/** Where a call went: said in every error, since a person may hold several contexts. */
export interface CallTarget {
  server: string;
  context: string;
  /** The procedure called, e.g. "fleet.findings". */
  path: string;
}

/** The dashboard has no such procedure: it is older than this CLI (or the procedure is still to come). */
export class MissingProcedureError extends Error {
  override name = "MissingProcedureError";
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The system error under a failed fetch (undici wraps it: TypeError "fetch failed" -> cause). */
function networkCause(error: Error | undefined): { code?: string; message: string } | undefined {
  const cause = (error?.cause ?? error) as (Error & { code?: string }) | undefined;
  return cause ? { code: cause.code, message: cause.message } : undefined;
}

const TLS_CODES = new Set(["SELF_SIGNED_CERT_IN_CHAIN", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_HAS_EXPIRED", "ERR_TLS_CERT_ALTNAME_INVALID"]);

/**
 * A failed call as a person can act on it. The exit code follows from the class:
 * a UsageError (bad input the dashboard named: BAD_REQUEST, or NOT_FOUND for what the
 * input named) exits 2, anything else 1.
 */
export function explainDashboardError(error: unknown, target: CallTarget): Error {
  if (!(error instanceof TRPCClientError)) return error instanceof Error ? error : new Error(String(error));
  const code = (error.data as { code?: string } | undefined)?.code;
  const at = `the dashboard at ${target.server}`;
  if (!code) {
    const cause = networkCause(error.cause);
    if (cause?.code && TLS_CODES.has(cause.code)) return new Error(`cannot reach ${at}: its certificate is not trusted (${cause.message}); for a private CA run netatlas login again with --ca FILE`);
    if (error.cause?.name === "TimeoutError") return new Error(`${at} did not answer ${target.path} in time; is it overloaded, or is the server URL of context "${target.context}" right?`);
    if (error.cause instanceof TypeError) return new Error(`cannot reach ${at}: ${cause?.message ?? error.message}; is it running, and is the server of context "${target.context}" right? (netatlas config get-contexts)`);
    return new Error(`${at} did not answer ${target.path} as a netatlas dashboard does (${error.message}); is ${target.server} a netatlas dashboard?`);
  }
  switch (code) {
    case "UNAUTHORIZED":
      return new Error(`${at} refused the token of context "${target.context}" (401 UNAUTHORIZED: ${error.message}): it is unknown, expired or revoked; create a new one and run netatlas login again`);
    case "FORBIDDEN":
      return new Error(`${at} refused ${target.path} (403 FORBIDDEN: ${error.message}); it needs an admin's token`);
    case "BAD_REQUEST":
      return new UsageError(error.message);
    case "NOT_FOUND":
      if (/no procedure found/i.test(error.message)) return new MissingProcedureError(target.path, `${at} has no ${target.path} procedure: it is an older version than this netatlas CLI`);
      return new UsageError(error.message);
    default:
      return new Error(`${target.path}: ${error.message} (${code})`);
  }
}
