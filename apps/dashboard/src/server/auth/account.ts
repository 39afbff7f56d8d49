import { z } from "zod";
import { Role } from "./role";

/**
 * The accounts of the environment passwords (NETATLAS_ADMIN_PASSWORD, NETATLAS_VIEWER_PASSWORD):
 * no users row; their names are reserved, so the audit log's actor names one account only.
 */
export const BOOTSTRAP_ACCOUNTS = ["admin", "viewer"] as const;
/** Also reserved: the audit log's actor of a failed sign-in. */
const RESERVED_NAMES: readonly string[] = [...BOOTSTRAP_ACCOUNTS, "unknown"];

export const isBootstrapAccount = (name: string): name is (typeof BOOTSTRAP_ACCOUNTS)[number] => (BOOTSTRAP_ACCOUNTS as readonly string[]).includes(name);

export const UserName = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{0,31}$/, "a user name has 1-32 lower-case letters, digits, '.', '_' or '-', starting with a letter")
  .refine((name) => !RESERVED_NAMES.includes(name), "admin, viewer and unknown are reserved (admin and viewer are the accounts of the environment passwords)");

export const Password = z.string().min(8, "the password needs at least 8 characters").max(256, "the password has at most 256 characters");

/** Who acts: a named user or a bootstrap account, with the role they act in. */
export const Account = z.object({ user: z.string(), role: Role });
export type Account = z.infer<typeof Account>;

export const NewUser = z.object({ name: UserName, password: Password, role: Role }).strict();
export type NewUser = z.infer<typeof NewUser>;
