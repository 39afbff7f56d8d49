import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt } from "drizzle-orm";
import type { Db } from "../db/open";
import { sessions } from "../db/schema";
import type { Role } from "./role";

export const SESSION_COOKIE = "netatlas_session";
export const SESSION_TTL_MS = 7 * 86_400_000;

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new session; the token goes to the browser in a cookie, only its hash is stored. */
export async function createSession(db: Db, role: Role, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.insert(sessions).values({ tokenHash: tokenHash(token), role, expiresAt });
  return { token, expiresAt };
}

export async function sessionRole(db: Db, token: string | undefined, now = new Date()): Promise<Role | undefined> {
  if (!token) return undefined;
  const [row] = await db.select({ role: sessions.role }).from(sessions).where(and(eq(sessions.tokenHash, tokenHash(token)), gt(sessions.expiresAt, now)));
  return row?.role;
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
