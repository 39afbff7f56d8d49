import { parentPort } from "node:worker_threads";
import { loneQueries, type LoneQuery, type SnapshotFullMessage } from "@netatlas/agent-api";
import { nodeFindings } from "@netatlas/core";
import { askWholeSnapshot } from "../whole-snapshot";
import type { CheckedWhole, IntakeAnswer, IntakeJob } from "./intake-protocol";
import { EAGER_KEYS } from "./lazy-parts";
import { sameJson } from "./same-json";

/**
 * The snapshot intake's thread: fetches an agent's whole snapshot, checks it against the
 * model and finds its findings, off the dashboard's event loop. Bundled by
 * scripts/build-worker.mjs into dist/snapshot-intake-worker.cjs.
 */
const port = parentPort;
if (!port) throw new Error("the snapshot intake runs as a worker thread");

/** One set of queries per agent (its connections stay open), for a fleet's worth of agents at most. */
const MAX_AGENTS = 20_000;
const agents = new Map<string, LoneQuery>();

function queriesOf(job: IntakeJob): LoneQuery {
  const key = JSON.stringify([job.url, job.token ?? "", job.timeoutMs, job.maxAnswerBytes]);
  let queries = agents.get(key);
  if (!queries) {
    if (agents.size >= MAX_AGENTS) agents.clear();
    queries = loneQueries({ url: job.url, token: job.token, timeoutMs: job.timeoutMs, maxAnswerBytes: job.maxAnswerBytes });
    agents.set(key, queries);
  }
  return queries;
}

/** The checked message as the event loop takes it: the snapshot's small parts in the head, the rest in the answer's own text where the check left it as it came. */
function checkedWhole({ text, data, message }: { text: string; data: unknown; message: SnapshotFullMessage }): CheckedWhole {
  const { snapshot, ...position } = message;
  const eager = Object.fromEntries(Object.entries(snapshot).filter(([key]) => EAGER_KEYS.has(key)));
  const unchanged = sameJson(message, data);
  return {
    head: JSON.stringify({ ...position, snapshot: eager }),
    keys: Object.keys(snapshot),
    rest: unchanged ? text : JSON.stringify(snapshot),
    restIs: unchanged ? "answer" : "snapshot",
    findings: nodeFindings(snapshot),
  };
}

async function answer(job: IntakeJob): Promise<IntakeAnswer> {
  try {
    const asked = await askWholeSnapshot(queriesOf(job));
    return asked ? { id: job.id, ...checkedWhole(asked) } : { id: job.id, absent: true };
  } catch (error) {
    return { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
}

port.on("message", (job: IntakeJob) => void answer(job).then((a) => port.postMessage(a)));
