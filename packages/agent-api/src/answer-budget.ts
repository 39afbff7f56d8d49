import { TRPCError } from "@trpc/server";

const measured = new WeakMap<object, number>();

const isPlainObject = (value: object): value is Record<string, unknown> => Object.getPrototypeOf(value) === Object.prototype;

/**
 * The length of `value` as JSON, remembered per object: the agent hands out the
 * same snapshot object until it reads the node again, so a batch of snapshot
 * calls measures it once. Plain objects are measured field by field, so a fresh
 * wrapper around a known snapshot (snapshotIfChanged's answer) costs a few keys.
 */
function jsonLength(value: unknown): number {
  if (typeof value !== "object" || value === null) return JSON.stringify(value)?.length ?? 0;
  const known = measured.get(value);
  if (known !== undefined) return known;
  let length: number;
  if (isPlainObject(value)) {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined);
    // {"key":value,...}: the braces, and per field its quoted key, a colon and a comma (one too many: close enough).
    length = fields.reduce((sum, [key, v]) => sum + JSON.stringify(key).length + 2 + jsonLength(v), 2);
  } else {
    length = JSON.stringify(value).length;
  }
  measured.set(value, length);
  return length;
}

const mib = (chars: number) => `${(chars / 1024 / 1024).toFixed(1)} MiB`;

/**
 * The bytes one request's answer may still take. Each call's answer is measured
 * when its procedure returns, before tRPC builds the whole answer as one string:
 * a call that does not fit is refused with PAYLOAD_TOO_LARGE and the others of
 * the batch still answer.
 */
export class AnswerBudget {
  private spent = 0;

  constructor(private readonly limit: number) {}

  /** Counts one call's answer, or throws PAYLOAD_TOO_LARGE (and counts nothing) when it does not fit. */
  charge(path: string, answer: unknown): void {
    const length = jsonLength(answer);
    if (this.spent + length > this.limit) {
      throw new TRPCError({
        code: "PAYLOAD_TOO_LARGE",
        message: `${path}: its answer (${mib(length)}) would take this request's answer over ${mib(this.limit)}; ask for it in a request of its own, or for one namespace (netns)`,
      });
    }
    this.spent += length;
  }
}
