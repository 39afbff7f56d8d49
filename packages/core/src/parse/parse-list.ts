import { z } from "zod";

/**
 * How a parser treats the entries it is given. "each": every entry is checked against
 * its zod schema (JSON printed by iproute2 or nft, whose versions add and omit fields).
 * "none": the entries were built in that very shape by netatlas's own rtnetlink decoders
 * (typed code; the linux package's tests check its output against the schemas), so the
 * CLI's cold path does not parse every link, route and neighbour again.
 */
export type EntryCheck = "each" | "none";

/**
 * Validates a JSON array entry by entry, so one odd entry names itself in the
 * error instead of hiding in a wall of zod output.
 */
export function parseList<T extends z.ZodType>(schema: T, json: unknown, what: string, check: EntryCheck = "each"): z.infer<T>[] {
  if (json === null || json === undefined || json === "") return [];
  if (!Array.isArray(json)) throw new Error(`${what}: expected a JSON array, got ${typeof json}`);
  if (check === "none") return json as z.infer<T>[];
  return json.map((entry, i) => {
    const result = schema.safeParse(entry);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`${what}: entry ${i}: ${issue?.path.join(".") || "(entry)"}: ${issue?.message ?? "invalid"}`);
    }
    return result.data;
  });
}
