import { setTimeout as sleep } from "node:timers/promises";
import type { DashboardSession } from "./dashboard-session.js";

type Overview = { rows: { name: string; status: string }[] };

/**
 * Polls fleet.overview every `everyMs` until every named node is up, and returns when
 * (performance.now()) the answer that showed it arrived. A failed request is tried
 * again: while the dashboard digests big snapshots its event loop stalls, and a
 * kept-alive connection it timed out meanwhile is reset under the next request.
 */
export async function waitUntilUp(session: DashboardSession, names: readonly string[], { timeoutMs = 300_000, everyMs = 250 } = {}): Promise<number> {
  const start = performance.now();
  let last = "no answer yet";
  for (;;) {
    try {
      const { rows } = await session.query<Overview>("fleet.overview");
      const answeredAt = performance.now();
      const up = new Set(rows.filter((r) => r.status === "up").map((r) => r.name));
      if (names.every((n) => up.has(n))) return answeredAt;
      const behind = rows.find((r) => names.includes(r.name) && r.status !== "up");
      last = `${names.filter((n) => up.has(n)).length} of ${names.length} up${behind ? `, ${behind.name} is ${behind.status}` : ""}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (performance.now() - start > timeoutMs) throw new Error(`the recorded agents were not all up in the dashboard after ${timeoutMs} ms: ${last}`);
    await sleep(everyMs);
  }
}
