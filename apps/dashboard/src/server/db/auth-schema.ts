import { bigserial, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

const role = (name: string) => text(name, { enum: ["admin", "viewer"] });

/**
 * Named accounts, managed by an admin. The two bootstrap accounts of the environment
 * passwords ("admin", "viewer") are not rows: those names are reserved.
 */
export const users = pgTable("users", {
  name: text("name").primaryKey(),
  role: role("role").notNull(),
  /** `scrypt$salt$hash` (auth/password.ts). */
  passwordHash: text("password_hash").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Signed-in browsers; the cookie holds the token, the table its SHA-256. */
export const sessions = pgTable("sessions", {
  tokenHash: text("token_hash").primaryKey(),
  /** The role signed in with: a bootstrap account's for good; a named user's current role is the users row's. */
  role: role("role").notNull(),
  /** Who signed in: a user's name or a bootstrap account's ("admin", "viewer"); null in sessions from before named users, whose name is their role. */
  userName: text("user_name"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});

/** Personal API tokens (the CLI, automation): only the SHA-256 of each is stored; the token itself is shown once. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tokenHash: text("token_hash").notNull(),
    name: text("name").notNull(),
    /** Whose it is: a user's name or a bootstrap account's. */
    userName: text("user_name").notNull(),
    /** At most the creator's role; a named user's token never acts above the user's current role. */
    role: role("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_tokens_token_hash").on(t.tokenHash), index("api_tokens_user_name").on(t.userName)],
);
