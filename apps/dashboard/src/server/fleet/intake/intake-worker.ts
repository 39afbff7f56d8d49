import { parentPort } from "node:worker_threads";
import { createAgentClient, type AgentClient, type SnapshotFullMessage } from "@netatlas/agent-api";
import { nodeFindings } from "@netatlas/core";
import { askWholeSnapshot } from "../whole-snapshot";
import type { CheckedWhole, IntakeAnswer, IntakeJob } from "./intake-protocol";
import { EAGER_KEYS } from "./lazy-parts";

/**
 * The snapshot intake's thread: fetches an agent's whole snapshot, checks it against the
 * model and finds its findings, off the dashboard's event loop. Bundled by
 * scripts/build-worker.mjs into dist/snapshot-intake-worker.cjs.
 */
const port = parentPort;
if (!port) throw new Error("the snapshot intake runs as a worker thread");

/** One client per agent (its connections stay open), for a fleet's worth of agents at most. */
const MAX_CLIENTS = 20_000;
const clients = new Map<string, AgentClient>();

function clientFor(job: IntakeJob): AgentClient {
  const key = JSON.stringify([job.url, job.token ?? "", job.timeoutMs, job.maxAnswerBytes]);
  let client = clients.get(key);
  if (!client) {
    if (clients.size >= MAX_CLIENTS) clients.clear();
    client = createAgentClient({ url: job.url, token: job.token, timeoutMs: job.timeoutMs, maxAnswerBytes: job.maxAnswerBytes });
    clients.set(key, client);
  }
  return client;
}

/** The checked message as the event loop takes it: the snapshot's small parts in the head, each other key's JSON apart. */
function asParts(message: SnapshotFullMessage): CheckedWhole {
  const { snapshot, ...position } = message;
  const eager: Record<string, unknown> = {};
  const parts: Record<string, string> = {};
  for (const [key, value] of Object.entries(snapshot)) {
    if (EAGER_KEYS.has(key)) eager[key] = value;
    else parts[key] = JSON.stringify(value);
  }
  return { head: JSON.stringify({ ...position, snapshot: eager }), parts, keys: Object.keys(snapshot), findings: nodeFindings(snapshot) };
}

async function answer(job: IntakeJob): Promise<IntakeAnswer> {
  try {
    const message = await askWholeSnapshot(clientFor(job));
    return message ? { id: job.id, ...asParts(message) } : { id: job.id, absent: true };
  } catch (error) {
    return { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
}

port.on("message", (job: IntakeJob) => void answer(job).then((a) => port.postMessage(a)));
