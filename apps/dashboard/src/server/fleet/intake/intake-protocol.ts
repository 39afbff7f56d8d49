import type { Finding } from "@netatlas/core";

/** Asked of the intake thread: one agent's whole snapshot. */
export interface IntakeJob {
  id: number;
  url: string;
  token: string | undefined;
  timeoutMs: number;
  maxAnswerBytes: number;
}

/**
 * The checked message, as JSON that crosses threads as strings (one copy each, where the
 * objects would be cloned field by field): `head` is the message with the snapshot's
 * small parts, `keys` the snapshot's keys in their order. The other keys are read from
 * `rest` when first needed: the agent's answer as it came ("answer", when the check left
 * it as it was), or the checked snapshot's JSON ("snapshot", when the check changed it).
 */
export interface CheckedWhole {
  head: string;
  keys: string[];
  rest: string;
  restIs: "answer" | "snapshot";
  findings: Finding[];
}

/** Its answer: the checked message with the node's findings; `absent` for an agent without the call; or why it failed. */
export type IntakeAnswer = ({ id: number } & CheckedWhole) | { id: number; absent: true } | { id: number; error: string };
