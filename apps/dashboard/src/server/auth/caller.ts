import { z } from "zod";
import type { Db } from "../db/open";
import { clientAddress } from "../http/client-address";
import { Account } from "./account";
import { apiTokenAccount, type TokenAccount } from "./api-tokens";
import { cookieValue, sessionAccount, SESSION_COOKIE } from "./sessions";
import type { SignInLimiter } from "./sign-in-limiter";

/** Who is asking, as `auth.whoami` tells them: the user, the role they act in, and how they signed in. */
export const Caller = Account.extend({ via: z.enum(["session", "token"]) });
export type Caller = z.infer<typeof Caller>;

export interface ResolvedCaller extends Caller {
  /** Who the audit log names: the user, and for an API token "alice (token ci-bot)". */
  actor: string;
  /** The session cookie's token (to sign out, and to end its live streams at once); none for an API token. */
  sessionToken?: string;
  /** The API token used, when via is "token". */
  token?: TokenAccount["token"];
}

/** What a request carries to say who it is: an API token, a session cookie, or an Authorization header of another kind. */
export type Credential = { kind: "token"; secret: string } | { kind: "session"; secret: string } | { kind: "malformed" };

/** A request whose credential is refused outright (it is not just signed out): 401, or 429 while its address waits. */
export class CallerRefused extends Error {
  override name = "CallerRefused";
  constructor(
    readonly code: "UNAUTHORIZED" | "TOO_MANY_REQUESTS",
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
  get status(): number {
    return this.code === "UNAUTHORIZED" ? 401 : 429;
  }
}

export const UNKNOWN_TOKEN = "the API token is unknown, expired or revoked";

/** Whether the request says who it is with a bearer token: a browser never adds one by itself (it may add cookies or cached Basic credentials). */
export const hasBearer = (req: Request): boolean => /^bearer\s/i.test(req.headers.get("authorization") ?? "");

/** A bearer token wins over a cookie: a script that also holds a cookie means its token. */
export function credentialOf(req: Request): Credential | undefined {
  const authorization = req.headers.get("authorization");
  if (authorization !== null) {
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    return bearer ? { kind: "token", secret: bearer } : { kind: "malformed" };
  }
  const session = cookieValue(req.headers.get("cookie"), SESSION_COOKIE);
  return session ? { kind: "session", secret: session } : undefined;
}

/** Who a credential acts for now, undefined when it does not (any more): no rate limit, no refusal; for rechecks of what outlives a request. */
export async function callerOf(db: Db, credential: Credential | undefined, now = new Date()): Promise<ResolvedCaller | undefined> {
  if (credential?.kind === "session") {
    const account = await sessionAccount(db, credential.secret, now);
    return account && { ...account, via: "session", actor: account.user, sessionToken: credential.secret };
  }
  if (credential?.kind === "token") {
    const account = await apiTokenAccount(db, credential.secret, now);
    return account && { user: account.user, role: account.role, via: "token", actor: `${account.user} (token ${account.token.name})`, token: account.token };
  }
  return undefined;
}

export interface CallerDeps {
  db: Db;
  /** The sign-in limiter: a wrong API token counts like a wrong password. */
  limiter: SignInLimiter;
  trustedProxies: readonly string[];
}

/**
 * The one place that says who a request comes from, for the API, the live streams, the
 * audit export and /metrics. A session cookie that no longer holds is just no caller
 * (the pages send the person to sign in). An API token must hold, or the request is
 * refused: it is a script that should stop and say so. A wrong token counts against its
 * address like a wrong password, and while the address waits no token is looked at.
 */
export async function resolveCaller(deps: CallerDeps, req: Request, now = new Date()): Promise<ResolvedCaller | undefined> {
  const credential = credentialOf(req);
  if (credential?.kind === "malformed") throw new CallerRefused("UNAUTHORIZED", 'Authorization: expected "Bearer na_…" (a netatlas API token)');
  if (credential?.kind !== "token") return callerOf(deps.db, credential, now);
  const from = clientAddress(req.headers, deps.trustedProxies);
  const waitSeconds = deps.limiter.tokenWait(from);
  if (waitSeconds > 0) throw new CallerRefused("TOO_MANY_REQUESTS", `too many failed sign-ins and tokens from this address; try again in ${waitSeconds} s`, waitSeconds);
  const caller = await callerOf(deps.db, credential, now);
  if (!caller) {
    deps.limiter.tokenFailed(from);
    throw new CallerRefused("UNAUTHORIZED", UNKNOWN_TOKEN);
  }
  return caller;
}
