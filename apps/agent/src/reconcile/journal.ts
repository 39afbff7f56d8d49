import { NodeIntent, Op } from "@netatlas/core";
import { z } from "zod";

/** Written before an apply starts and after each batch: what a restart needs to finish it. */
export const Journal = z.object({
  planHash: z.string(),
  intent: NodeIntent,
  ops: z.array(Op),
  opsDone: z.number().int().nonnegative(),
  startedAt: z.string(),
});
export type Journal = z.infer<typeof Journal>;

export const JOURNAL_FILE = "journal.json";
export const INTENT_FILE = "intent.json";
