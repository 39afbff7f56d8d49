import { z } from "zod";

/**
 * Validates a JSON array entry by entry, so one odd entry names itself in the
 * error instead of hiding in a wall of zod output.
 */
export function parseList<T extends z.ZodType>(schema: T, json: unknown, what: string): z.infer<T>[] {
  if (json === null || json === undefined || json === "") return [];
  if (!Array.isArray(json)) throw new Error(`${what}: expected a JSON array, got ${typeof json}`);
  return json.map((entry, i) => {
    const result = schema.safeParse(entry);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`${what}: entry ${i}: ${issue?.path.join(".") || "(entry)"}: ${issue?.message ?? "invalid"}`);
    }
    return result.data;
  });
}
