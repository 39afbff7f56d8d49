import type { AgentPorts } from "./ports.js";
import type { SnapshotVersions } from "./snapshot-versions.js";
import { forgetStateJson, stateJson } from "./state-json.js";

/** The calls answered from a snapshot's JSON made once, when one is alone in its request. */
export type AloneCall = { path: "snapshot" | "snapshotFull"; maxAgeMs?: number };

const ALONE_PATHS: readonly AloneCall["path"][] = ["snapshot", "snapshotFull"];

/**
 * The call of a request that is one `snapshot` or `snapshotFull` call and nothing else, as
 * the client's batch link sends it (`GET /trpc/snapshot?batch=1&input={}`, or with
 * `{"0":{"maxAgeMs":N}}`); undefined for any other request, which tRPC answers as usual.
 */
export function snapshotCallAlone(method: string | undefined, url: string | undefined): AloneCall | undefined {
  if (method !== "GET" || !url?.startsWith("/trpc/")) return undefined;
  const query = url.indexOf("?");
  const path = ALONE_PATHS.find((p) => p === url.slice("/trpc/".length, query));
  if (!path) return undefined;
  const params = new URLSearchParams(url.slice(query + 1));
  if (params.get("batch") !== "1" || [...params.keys()].some((k) => k !== "batch" && k !== "input")) return undefined;
  let input: unknown;
  try {
    input = JSON.parse(params.get("input") ?? "{}");
  } catch {
    return undefined;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const calls = Object.entries(input);
  if (calls.length === 0) return { path };
  const [key, call] = calls[0] as [string, unknown];
  if (calls.length !== 1 || key !== "0" || typeof call !== "object" || call === null) return undefined;
  const fields = Object.entries(call);
  if (fields.length === 0) return { path };
  const maxAgeMs = (call as { maxAgeMs?: unknown }).maxAgeMs;
  // Anything else (netns, a bad maxAgeMs) goes to tRPC, which checks it and says what is wrong.
  return fields.length === 1 && Number.isInteger(maxAgeMs) && (maxAgeMs as number) >= 0 && (maxAgeMs as number) <= 3_600_000 ? { path, maxAgeMs: maxAgeMs as number } : undefined;
}

/**
 * The batch link's answer to a lone call, as tRPC writes it, in parts around the
 * snapshot's JSON (made once per state of the node, and shared by both answers).
 */
export async function aloneAnswer(call: AloneCall, ports: AgentPorts): Promise<Buffer[]> {
  if (call.path === "snapshot") return [Buffer.from(`[{"result":{"data":`), stateJson(ports.versions, await ports.snapshot({ maxAgeMs: call.maxAgeMs })), Buffer.from("}}]")];
  const { snapshot, ...position } = ports.versions.publish(await ports.snapshot({ maxAgeMs: call.maxAgeMs }));
  const head = JSON.stringify(position).slice(0, -1);
  return [Buffer.from(`[{"result":{"data":${head},"snapshot":`), stateJson(ports.versions, snapshot), Buffer.from("}}}]")];
}

/**
 * A state of the node that lasts this long has its answer made before anyone asks for it.
 * Longer than a churning node's states last: the agent publishes one every 2 s under churn
 * (its live-node UNDER_CHURN_MS), and at 1 s each of them was made, for nothing (+20 MB
 * peak RSS in the churn bench).
 */
export const ANSWER_AHEAD_AFTER_MS = 5_000;

/**
 * Makes the answer's JSON of each state of the node that lasts `quietMs` (the newest one
 * now, and each new version), off the path of any request: a client's first ask (a
 * dashboard starting, the CLI) finds it made, as a second ask does; the same state read
 * again later is a copy of it (stateJson). Under churn no state lasts, and none is made
 * for nothing; what is kept is what an answer keeps anyway, the JSON of the node's newest
 * state, let go at the next. Returns the function that stops it.
 */
export function answerAheadWhenQuiet(versions: SnapshotVersions, quietMs = ANSWER_AHEAD_AFTER_MS): () => void {
  const timer = setTimeout(() => {
    const latest = versions.latest();
    if (latest) stateJson(versions, latest.snapshot);
  }, quietMs).unref();
  const unsubscribe = versions.subscribe(() => {
    forgetStateJson(versions);
    timer.refresh();
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
