import { SnapshotFullMessage, type AgentClient } from "@netatlas/agent-api";
import type { Finding } from "@netatlas/core";
import { TRPCClientError } from "@trpc/client";
import { checkedAnswer } from "./agent-answer";

/** A node's whole snapshot and its position, checked; with its findings when whoever checked it made them too. */
export type WholeSnapshot = SnapshotFullMessage & { findings?: Finding[] };

/** An agent from before a procedure answers NOT_FOUND for the procedure itself. */
export const lacksProcedure = (error: unknown) => error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "NOT_FOUND" && /procedure/i.test(error.message);

/** The stream's first message as a plain answer, checked against the model; undefined when the agent has no such call (an older netatlas). */
export async function askWholeSnapshot(client: AgentClient): Promise<SnapshotFullMessage | undefined> {
  let answer: unknown;
  try {
    answer = await client.snapshotFull.query({ maxAgeMs: 1_000 });
  } catch (error) {
    if (lacksProcedure(error)) return undefined;
    throw error;
  }
  return checkedAnswer(SnapshotFullMessage, answer, "its snapshot");
}
