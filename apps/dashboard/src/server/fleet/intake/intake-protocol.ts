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
 * small parts, `parts` the JSON of each of its other keys (links, routes, …), `keys` the
 * snapshot's keys in their order.
 */
export interface CheckedWhole {
  head: string;
  parts: Record<string, string>;
  keys: string[];
  findings: Finding[];
}

/** Its answer: the checked message with the node's findings; `absent` for an agent without the call; or why it failed. */
export type IntakeAnswer = ({ id: number } & CheckedWhole) | { id: number; absent: true } | { id: number; error: string };
