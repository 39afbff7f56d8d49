import type { z } from "zod";

const SHOWN_ISSUES = 3;

/**
 * What an agent sent, checked against the model before anything reads it: an old,
 * broken or hostile agent makes its own node fail with the reason, not the poller
 * or the database writer throw on a field that is not there.
 */
export function checkedAnswer<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const shown = issues.slice(0, SHOWN_ISSUES).map((i) => `${i.path.join(".") || "(the answer)"}: ${i.message}`).join("; ");
  const more = issues.length > SHOWN_ISSUES ? ` (and ${issues.length - SHOWN_ISSUES} more)` : "";
  throw new Error(`${what} does not match this dashboard's model: ${shown}${more}; is the agent a matching netatlas version?`);
}
