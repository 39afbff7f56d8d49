/**
 * Whether `error` is PostgreSQL refusing a row because of the unique index `constraint`
 * (SQLSTATE 23505). drizzle wraps the driver's error in its own (the cause), on both
 * node-postgres and PGlite, so the chain is walked.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code, constraint: name } = e as { code?: unknown; constraint?: unknown };
    if (code === "23505") return name === constraint;
  }
  return false;
}
