import pg from "pg";

/** LISTEN takes an identifier, not a parameter: only plain lower-case names are let through. */
export const ChannelName = /^[a-z_][a-z0-9_]{0,62}$/;

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * Follows a PostgreSQL notification channel on a client of its own (a pooled client would
 * be handed to queries and lose its LISTEN). A connection that breaks is opened again with
 * backoff; what was notified meanwhile is lost, which the caller must tolerate.
 */
export async function listenPostgres(url: string, channel: string, onPayload: (payload: string) => void, log: (message: string) => void): Promise<() => Promise<void>> {
  if (!ChannelName.test(channel)) throw new Error(`notification channel "${channel}" is not a plain lower-case identifier`);
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    next.on("notification", (message) => message.channel === channel && message.payload !== undefined && onPayload(message.payload));
    next.on("error", (error) => lost(next, error));
    next.on("end", () => lost(next, new Error("the connection ended")));
    client = next;
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    failures = 0;
  };
  const lost = (which: pg.Client, error: Error) => {
    if (stopped || client !== which) return;
    client = undefined;
    which.end().catch(() => undefined);
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures++);
    log(`notifications on ${channel}: ${error.message}; listening again in ${delay / 1000} s (what peers notify meanwhile is lost; their writes are still read from the database)`);
    retry = setTimeout(() => void connect().catch((e: Error) => lost(client ?? which, e)), delay);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end();
  };
}
