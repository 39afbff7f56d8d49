import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/open";
import { apiTokens, users } from "../db/schema";
import { isBootstrapAccount, type Account } from "./account";
import { lowerRole, Role } from "./role";

/** `na_` and 43 base64url characters: 32 random bytes. */
const API_TOKEN = /^na_[A-Za-z0-9_-]{43}$/;

export const isApiTokenShaped = (text: string): boolean => API_TOKEN.test(text);

/**
 * Only this is stored. A token is 256 random bits, not a password a person chose: no
 * dictionary reaches it, so a fast hash keeps the stored form useless to a thief, and
 * scrypt would only add its cost to every API request.
 */
const apiTokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** last_used_at moves at most this often: a busy script does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const TokenName = z
  .string()
  .trim()
  .min(1, "name the token (e.g. ci-bot or laptop)")
  .max(64, "a token name has at most 64 characters")
  .regex(/^[^\p{Cc}]+$/u, "a token name has no control characters");

export const NewApiToken = z
  .object({
    name: TokenName,
    /** At most the creator's role; the creator's by default. */
    role: Role.optional(),
    /** Without it the token lasts until it is revoked. */
    expiresInDays: z.number().int("expiresInDays must be a whole number").min(1, "expiresInDays must be at least 1").max(3650, "expiresInDays must be at most 3650").optional(),
  })
  .strict();
export type NewApiToken = z.infer<typeof NewApiToken>;

export type ApiTokenRow = typeof apiTokens.$inferSelect;

/** A token as lists show it: never its hash. */
export function apiTokenView(r: ApiTokenRow, now = new Date()) {
  const state = r.revokedAt ? "revoked" : r.expiresAt && r.expiresAt <= now ? "expired" : "active";
  return {
    id: r.id,
    name: r.name,
    user: r.userName,
    role: r.role,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    state: state as "active" | "expired" | "revoked",
  };
}
export type ApiTokenView = ReturnType<typeof apiTokenView>;

/** Makes a token for `owner`; the caller has checked the role and the expiry. The token is in the answer, and nowhere else from now on. */
export async function createApiToken(db: Db, owner: string, token: { name: string; role: Role; expiresAt: Date | null }): Promise<{ token: string; view: ApiTokenView }> {
  const secret = `na_${randomBytes(32).toString("base64url")}`;
  const [row] = await db.insert(apiTokens).values({ tokenHash: apiTokenHash(secret), name: token.name, userName: owner, role: token.role, expiresAt: token.expiresAt }).returning();
  return { token: secret, view: apiTokenView(row as ApiTokenRow) };
}

/** The live (neither revoked nor expired) token of `owner` named `name`, if any: names tell a person's tokens apart. */
export async function liveApiTokenNamed(db: Db, owner: string, name: string, now = new Date()): Promise<ApiTokenView | undefined> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userName, owner), eq(apiTokens.name, name), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))));
  return row && apiTokenView(row, now);
}

/** `owner`'s tokens, or everyone's when `owner` is undefined; newest first. */
export async function listApiTokens(db: Db, owner: string | undefined, now = new Date()): Promise<ApiTokenView[]> {
  const rows = await db.select().from(apiTokens).where(owner === undefined ? undefined : eq(apiTokens.userName, owner)).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map((r) => apiTokenView(r, now));
}

/** Revokes token `id` of `owner` (of anyone's when `owner` is undefined); undefined when there is no such token. Revoking twice keeps the first time. */
export async function revokeApiToken(db: Db, id: number, owner: string | undefined, now = new Date()): Promise<ApiTokenView | undefined> {
  const mine = owner === undefined ? eq(apiTokens.id, id) : and(eq(apiTokens.id, id), eq(apiTokens.userName, owner));
  await db.update(apiTokens).set({ revokedAt: now }).where(and(mine, isNull(apiTokens.revokedAt)));
  const [row] = await db.select().from(apiTokens).where(mine);
  return row && apiTokenView(row, now);
}

export interface TokenAccount extends Account {
  token: { id: number; name: string; expiresAt: Date | null };
}

/**
 * Who a presented token acts for, and in which role: undefined when it is unknown,
 * revoked, expired, or its user is gone. A named user's token acts in the lower of its
 * own role and the user's role now, so a demotion reaches their tokens at once.
 */
export async function apiTokenAccount(db: Db, token: string, now = new Date()): Promise<TokenAccount | undefined> {
  if (!isApiTokenShaped(token)) return undefined;
  const [row] = await db
    .select({ token: apiTokens, userRole: users.role })
    .from(apiTokens)
    .leftJoin(users, eq(users.name, apiTokens.userName))
    .where(and(eq(apiTokens.tokenHash, apiTokenHash(token)), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))));
  if (!row) return undefined;
  const t = row.token;
  const ownerRole = isBootstrapAccount(t.userName) ? t.userName : row.userRole;
  if (!ownerRole) return undefined;
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, t.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)))));
  return { user: t.userName, role: lowerRole(t.role, ownerRole), token: { id: t.id, name: t.name, expiresAt: t.expiresAt } };
}
