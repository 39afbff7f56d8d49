/**
 * Which nodes this replica follows from their agents (stream, polls, writes to the database);
 * the others it serves from the database and its peers' notifications.
 */
export interface Leadership {
  readonly replicaId: string;
  leads(node: string): boolean;
  /** How many of the fleet's nodes it leads now. */
  ledCount(): number;
  /** `listener` is told the nodes whose lead came to or went from this replica. */
  onChange(listener: (nodes: string[]) => void): void;
}

/** PGlite, or any single process: it leads every node, always. */
export function soleLeadership(replicaId: string, nodes: () => readonly string[]): Leadership {
  return { replicaId, leads: () => true, ledCount: () => nodes().length, onChange: () => undefined };
}
