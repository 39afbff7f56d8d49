import { NoSuchProcedureError, SnapshotFullMessage, type LoneAnswer, type LoneQuery } from "@netatlas/agent-api";
import type { Finding } from "@netatlas/core";
import { checkedAnswer } from "./agent-answer";

/** A node's whole snapshot and its position, checked; with its findings when whoever checked it made them too. */
export type WholeSnapshot = SnapshotFullMessage & { findings?: Finding[] };

/**
 * The stream's first message as a plain answer (`snapshotFull` alone in its request),
 * checked against the model, with the answer as it came; undefined when the agent has no
 * such call (an older netatlas).
 */
export async function askWholeSnapshot(query: LoneQuery): Promise<(LoneAnswer & { message: SnapshotFullMessage }) | undefined> {
  let answer: LoneAnswer;
  try {
    answer = await query("snapshotFull", { maxAgeMs: 1_000 });
  } catch (error) {
    if (error instanceof NoSuchProcedureError) return undefined;
    throw error;
  }
  return { ...answer, message: checkedAnswer(SnapshotFullMessage, answer.data, "its snapshot") };
}
