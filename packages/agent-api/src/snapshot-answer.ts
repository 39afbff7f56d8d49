import type { NodeSnapshot } from "@netatlas/core";

/**
 * The input of a request that is one `snapshot` call and nothing else, as the client's
 * batch link sends it (`GET /trpc/snapshot?batch=1&input={}`, or with `{"0":{"maxAgeMs":N}}`);
 * undefined for any other request, which tRPC answers as usual.
 */
export function snapshotCallAlone(method: string | undefined, url: string | undefined): { maxAgeMs?: number } | undefined {
  if (method !== "GET" || !url?.startsWith("/trpc/snapshot?")) return undefined;
  const query = new URLSearchParams(url.slice("/trpc/snapshot?".length));
  if (query.get("batch") !== "1" || [...query.keys()].some((k) => k !== "batch" && k !== "input")) return undefined;
  let input: unknown;
  try {
    input = JSON.parse(query.get("input") ?? "{}");
  } catch {
    return undefined;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const calls = Object.entries(input);
  if (calls.length === 0) return {};
  const [key, call] = calls[0] as [string, unknown];
  if (calls.length !== 1 || key !== "0" || typeof call !== "object" || call === null) return undefined;
  const fields = Object.entries(call);
  if (fields.length === 0) return {};
  const maxAgeMs = (call as { maxAgeMs?: unknown }).maxAgeMs;
  // Anything else (netns, a bad maxAgeMs) goes to tRPC, which checks it and says what is wrong.
  return fields.length === 1 && Number.isInteger(maxAgeMs) && (maxAgeMs as number) >= 0 && (maxAgeMs as number) <= 3_600_000 ? { maxAgeMs: maxAgeMs as number } : undefined;
}

// The agent hands out one snapshot object per state of its node, so each is serialised once.
const answers = new WeakMap<NodeSnapshot, Buffer>();

/** The batch link's answer to a lone snapshot call, as tRPC writes it, made once per snapshot object. */
export function snapshotAnswer(snapshot: NodeSnapshot): Buffer {
  let answer = answers.get(snapshot);
  if (!answer) {
    answer = Buffer.from(`[{"result":{"data":${JSON.stringify(snapshot)}}}]`);
    answers.set(snapshot, answer);
  }
  return answer;
}
