import type { DashboardConfig } from "../config";
import type { Db } from "../db/open";
import type { Account } from "./account";
import { checkAdminPassword, sameSecret } from "./admin-password";
import { checkUserPassword } from "./user-store";

type Passwords = Pick<DashboardConfig, "adminPassword" | "viewerPassword">;

async function bootstrapAccount(db: Db, config: Passwords, name: "admin" | "viewer", password: string): Promise<Account | undefined> {
  const matches = name === "admin" ? await checkAdminPassword(db, config.adminPassword, password) : !!config.viewerPassword && sameSecret(password, config.viewerPassword);
  return matches ? { user: name, role: name } : undefined;
}

/**
 * Who a password signs in as. Without a name, the password chooses a bootstrap account:
 * the admin password, else the viewer password (if one is configured). With a name, that
 * user's password; "admin" and "viewer" name the bootstrap accounts.
 */
export async function signInAccount(db: Db, config: Passwords, credentials: { name?: string; password: string }): Promise<Account | undefined> {
  const { name, password } = credentials;
  if (name === "admin" || name === "viewer") return bootstrapAccount(db, config, name, password);
  if (name !== undefined) {
    const role = await checkUserPassword(db, name, password);
    return role && { user: name, role };
  }
  return (await bootstrapAccount(db, config, "admin", password)) ?? bootstrapAccount(db, config, "viewer", password);
}
