import type { Db } from "../db/open";
import { sessionRole } from "./sessions";

/** How often a long-lived response asks the database whether its session still holds (expiry, a sign-out in another process). */
export const SESSION_RECHECK_MS = 10_000;

/**
 * Sign-outs in this process, for what outlives the request that checked the session:
 * a live event stream must end when its session does, not when the browser goes.
 */
export class SessionEnds {
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Calls `listener` when the session of `token` is signed out, until the returned function is called. */
  subscribe(token: string, listener: () => void): () => void {
    let set = this.listeners.get(token);
    if (!set) this.listeners.set(token, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size && this.listeners.get(token) === set) this.listeners.delete(token);
    };
  }

  ended(token: string): void {
    for (const listener of this.listeners.get(token) ?? []) listener();
  }
}

export interface WatchOptions {
  db: Db;
  ends: SessionEnds;
  token: string;
  /** The request's: watching stops when it ends. */
  until: AbortSignal;
  recheckMs?: number;
}

/**
 * A signal that aborts when the session ends: at once on a sign-out here, else at the
 * next recheck after it expired or was removed. Watching stops with `until`.
 */
export function watchSession(options: WatchOptions): AbortSignal {
  const ended = new AbortController();
  const stop = () => {
    clearInterval(recheck);
    unsubscribe();
    options.until.removeEventListener("abort", stop);
  };
  const end = (reason: string) => {
    stop();
    ended.abort(new Error(reason));
  };
  const unsubscribe = options.ends.subscribe(options.token, () => end("signed out"));
  const recheck = setInterval(() => {
    sessionRole(options.db, options.token).then(
      (role) => role || end("the session expired or was ended"),
      (error: Error) => console.error(`live stream: could not recheck its session: ${error.message}; checking again in ${options.recheckMs ?? SESSION_RECHECK_MS} ms`),
    );
  }, options.recheckMs ?? SESSION_RECHECK_MS);
  options.until.addEventListener("abort", stop, { once: true });
  if (options.until.aborted) stop();
  return ended.signal;
}
