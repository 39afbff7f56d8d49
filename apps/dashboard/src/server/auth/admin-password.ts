import { timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../db/open";
import { settings } from "../db/schema";
import { hashPassword, verifyPassword } from "./password";

const KEY = "admin_password";

/** Whether sign-in is possible yet: a password from the environment, or one set on first start. */
export async function adminPasswordIsSet(db: Db, fromEnv: string | undefined): Promise<boolean> {
  if (fromEnv) return true;
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
  return !!row;
}

/** Sets the admin password on first start; refuses once one exists. */
export async function setFirstAdminPassword(db: Db, password: string): Promise<boolean> {
  const inserted = await db.insert(settings).values({ key: KEY, value: await hashPassword(password) }).onConflictDoNothing().returning({ key: settings.key });
  return inserted.length > 0;
}

/** Compares in constant time, so the answer's timing says nothing about the secret. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function checkAdminPassword(db: Db, fromEnv: string | undefined, password: string): Promise<boolean> {
  if (fromEnv) return sameSecret(password, fromEnv);
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
  return row ? verifyPassword(password, row.value) : false;
}
