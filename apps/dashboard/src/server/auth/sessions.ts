import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt } from "drizzle-orm";
import type { Db } from "../db/open";
import { sessions, users } from "../db/schema";
import { isBootstrapAccount, type Account } from "./account";

export const SESSION_COOKIE = "netatlas_session";
export const SESSION_TTL_MS = 7 * 86_400_000;

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new session; the token goes to the browser in a cookie, only its hash is stored. */
export async function createSession(db: Db, account: Account, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.insert(sessions).values({ tokenHash: tokenHash(token), role: account.role, userName: account.user, expiresAt });
  return { token, expiresAt };
}

/**
 * Who a session acts for: undefined when it expired, ended or its user was removed.
 * A named user acts in their role now (an admin may have changed it since sign-in).
 */
export async function sessionAccount(db: Db, token: string | undefined, now = new Date()): Promise<Account | undefined> {
  if (!token) return undefined;
  const [row] = await db
    .select({ role: sessions.role, userName: sessions.userName, userRole: users.role })
    .from(sessions)
    .leftJoin(users, eq(users.name, sessions.userName))
    .where(and(eq(sessions.tokenHash, tokenHash(token)), gt(sessions.expiresAt, now)));
  if (!row) return undefined;
  const user = row.userName ?? row.role;
  if (isBootstrapAccount(user)) return { user, role: row.role };
  return row.userRole ? { user, role: row.userRole } : undefined;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Expires=${expiresAt.toUTCString()}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}
