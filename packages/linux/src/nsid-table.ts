import { nsidCandidates, type Link, type NsidTable } from "@netatlas/core";
import type { DiscoveredNetns } from "./netns.js";

export type AskNsids = (nsPath: string, targetPaths: string[]) => Promise<number[]>;

/** What asking needs of a namespace: its id, a name for the warning, and its file. */
type AskedNetns = Pick<DiscoveredNetns, "id" | "names" | "enterPath">;

/**
 * Asks the kernel, from inside each namespace whose links name another by nsid, which
 * namespace each nsid stands for. Only the namespaces that could hold such a link's other
 * end are asked about, the namespace with the most of them first, and a link whose other
 * end is settled by then is left out (see nsidCandidates): on a node of many pods the host
 * asks about its pods, and the pods are not asked at all. A namespace that cannot be asked
 * (gone meanwhile) becomes a warning, and its links are paired by the ifindex heuristic.
 * One namespace is asked at a time: the next question depends on the answers so far.
 */
export async function readNsidTable(namespaces: readonly AskedNetns[], links: readonly Link[], ask: AskNsids, warnings: string[]): Promise<NsidTable> {
  const byId = new Map(namespaces.map((ns) => [ns.id, ns]));
  const table = new Map<number, Map<number, number>>();
  const asked = new Set<number>();
  for (;;) {
    const pending = [...nsidCandidates(links, table)].filter(([id]) => !asked.has(id) && byId.has(id));
    if (pending.length === 0) return table;
    const [asking, candidates] = pending.reduce((most, next) => (next[1].size > most[1].size ? next : most));
    asked.add(asking);
    const from = byId.get(asking) as AskedNetns;
    const targets = [...candidates].flatMap((id) => byId.get(id) ?? []);
    if (targets.length === 0) continue;
    try {
      const ids = await ask(from.enterPath, targets.map((t) => t.enterPath));
      const known = new Map<number, number>();
      targets.forEach((t, i) => {
        const nsid = ids[i] ?? -1;
        if (nsid >= 0) known.set(nsid, t.id);
      });
      table.set(asking, known);
    } catch (error) {
      warnings.push(`nsids of namespace ${from.names[0] ?? from.id} (${from.enterPath}): ${(error as Error).message}; its veths are paired by ifindex alone`);
    }
  }
}
