import { z } from "zod";
import { UsageError } from "./usage-error.js";

/** A whole number typed as text on the command line, within bounds. */
export const WholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** commander's camelCase option key as the flag a person typed: planSet -> --plan-set. */
const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Checks a command's flags and arguments against its schema; the first wrong one
 * becomes a UsageError naming it (`--port: must be at most 65535`). Positional
 * arguments are keyed by their upper-case name (SRC, DST) and keep it.
 */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const key = String(issue.path[0] ?? "");
  const field = key === "" ? "input" : /^[A-Z]+$/.test(key) ? key : flagName(key);
  throw new UsageError(`${field}: ${issue.message}`);
}
