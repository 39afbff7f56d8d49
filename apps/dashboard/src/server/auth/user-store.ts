import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/open";
import { apiTokens, sessions, users } from "../db/schema";
import type { NewUser } from "./account";
import { hashPassword, verifyPassword } from "./password";
import type { Role } from "./role";

export interface UserView {
  name: string;
  role: Role;
  createdAt: string;
}

const view = (r: { name: string; role: Role; createdAt: Date }): UserView => ({ name: r.name, role: r.role, createdAt: r.createdAt.toISOString() });

export async function listUsers(db: Db): Promise<UserView[]> {
  return (await db.select({ name: users.name, role: users.role, createdAt: users.createdAt }).from(users).orderBy(asc(users.name))).map(view);
}

/** Adds a user with the scrypt hash of their password; undefined when the name is taken. */
export async function addUser(db: Db, user: NewUser): Promise<UserView | undefined> {
  const [row] = await db.insert(users).values({ name: user.name, role: user.role, passwordHash: await hashPassword(user.password) }).onConflictDoNothing().returning();
  return row && view(row);
}

/**
 * Removes a user and everything that lets them in: their sessions end and their tokens
 * are revoked (kept, so the list still shows them). A user added later under the same
 * name starts with none. False when there is no such user.
 */
export async function removeUser(db: Db, name: string, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(users).where(eq(users.name, name)).returning({ name: users.name });
    if (!removed.length) return false;
    await tx.delete(sessions).where(eq(sessions.userName, name));
    await tx.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.userName, name), isNull(apiTokens.revokedAt)));
    return true;
  });
}

/** Sets a user's role; their sessions and tokens act in it from their next request. False when there is no such user. */
export async function setUserRole(db: Db, name: string, role: Role): Promise<boolean> {
  return (await db.update(users).set({ role }).where(eq(users.name, name)).returning({ name: users.name })).length > 0;
}

/** Compared with when the name is unknown, so the answer's timing does not say which names exist. */
let unknownUserHash: Promise<string> | undefined;

/** The user's role when the password is theirs; undefined for a wrong password or an unknown name. */
export async function checkUserPassword(db: Db, name: string, password: string): Promise<Role | undefined> {
  const [row] = await db.select({ role: users.role, passwordHash: users.passwordHash }).from(users).where(eq(users.name, name));
  const matches = await verifyPassword(password, row?.passwordHash ?? (await (unknownUserHash ??= hashPassword("no user has this password"))));
  return row && matches ? row.role : undefined;
}
