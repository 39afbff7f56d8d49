import type { ProbeResult } from "@netatlas/agent-api";
import { mapBounded, type ReachabilityCell, type ReachabilityEndpoint } from "@netatlas/core";
import { probedCell, refusedCell, type CellVerification } from "../../fleet/cell-verification";

/** A cell that has both ends to probe between. */
export type ProbedPair = ReachabilityCell & { source: ReachabilityEndpoint; destination: ReachabilityEndpoint };

/** Sends the real probe of a pair from its source's namespace; throws with the reason when it cannot (no admin token, the agent refuses or is down). */
export type PairProbe = (pair: ProbedPair) => Promise<ProbeResult>;

/** Why a cell cannot be probed before anything is sent, if it cannot. */
function cannotProbe(cell: ReachabilityCell): string | undefined {
  if (!cell.source || !cell.destination) return cell.message;
  if (cell.destination.ip.includes(":")) return `${cell.destination.name} has only the IPv6 address ${cell.destination.ip}; the agent probes IPv4 addresses only`;
  return undefined;
}

/**
 * Probes each cell for real, at most `concurrency` at a time (each probe takes up to its
 * attempts' timeouts; a whole row of a big fleet must not open a probe per node at once),
 * and holds each answer against the cell's state. A probe that fails is a refusal with
 * its reason, never a failure of the others.
 */
export async function verifyCells(cells: readonly ReachabilityCell[], probe: PairProbe, options: { concurrency: number; now?: () => number }): Promise<CellVerification[]> {
  const now = options.now ?? Date.now;
  return mapBounded(cells, options.concurrency, async (cell) => {
    const reason = cannotProbe(cell);
    if (reason) return refusedCell(cell, reason, now());
    try {
      return probedCell(cell, await probe(cell as ProbedPair), now());
    } catch (error) {
      return refusedCell(cell, (error as Error).message, now());
    }
  });
}
