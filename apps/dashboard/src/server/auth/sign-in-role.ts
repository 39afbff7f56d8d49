import type { DashboardConfig } from "../config";
import type { Db } from "../db/open";
import { checkAdminPassword, sameSecret } from "./admin-password";
import type { Role } from "./role";

/** The role a password signs in as: the admin password, else the viewer password (if one is configured). */
export async function signInRole(db: Db, config: Pick<DashboardConfig, "adminPassword" | "viewerPassword">, password: string): Promise<Role | undefined> {
  if (await checkAdminPassword(db, config.adminPassword, password)) return "admin";
  if (config.viewerPassword && sameSecret(password, config.viewerPassword)) return "viewer";
  return undefined;
}
