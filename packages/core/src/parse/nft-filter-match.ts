import type { FilterMatch } from "../model/filter.js";
import { fieldName } from "./nft-json.js";

/** A named set or map of a table: its elements as nft prints them; a map's with their data. */
export interface NamedSet {
  elements: unknown[];
}

/** Named sets and maps, keyed "family table name". */
export type NamedSets = Map<string, NamedSet>;

/** One set element (or map key) as nft prints it: "10.0.0.0/8", "1-1023", "10.96.0.10 . udp . 53". */
export function elementText(element: unknown): string | undefined {
  if (typeof element === "string" || typeof element === "number") return String(element);
  const e = element as Record<string, unknown> | null;
  if (!e || typeof e !== "object") return undefined;
  const prefix = e.prefix as { addr?: string; len?: number } | undefined;
  if (prefix?.addr !== undefined) return `${prefix.addr}/${prefix.len}`;
  if (Array.isArray(e.range)) {
    const [lo, hi] = (e.range as unknown[]).map(elementText);
    return lo === undefined || hi === undefined ? undefined : `${lo}-${hi}`;
  }
  if (Array.isArray(e.concat)) {
    const parts = (e.concat as unknown[]).map(elementText);
    return parts.includes(undefined) ? undefined : parts.join(" . ");
  }
  // An element with a timeout, expiry or comment: {elem: {val: ..., timeout: ...}}.
  if (e.elem && typeof e.elem === "object") return elementText((e.elem as { val?: unknown }).val);
  return undefined;
}

/** The field an expression reads: a payload, meta or ct key, a concatenation of them, a fib lookup; with a mask when it is `field & mask`. */
export function matchField(left: unknown): { field: string; mask?: number } | undefined {
  const l = left as Record<string, unknown> | null;
  if (!l || typeof l !== "object") return undefined;
  if (Array.isArray(l["&"])) {
    const [inner, mask] = l["&"] as unknown[];
    const field = fieldName(inner, { ct: true });
    return field !== undefined && typeof mask === "number" ? { field, mask } : undefined;
  }
  if (Array.isArray(l.concat)) {
    const parts = (l.concat as unknown[]).map((p) => fieldName(p, { ct: true }));
    return parts.includes(undefined) ? undefined : { field: parts.join(" . ") };
  }
  const fib = l.fib as { result?: string; flags?: string[] } | undefined;
  if (fib?.result) return { field: `fib ${(fib.flags ?? []).join(" . ")} ${fib.result}` };
  const field = fieldName(l, { ct: true });
  return field === undefined ? undefined : { field };
}

/** The values a match compares with: one, an anonymous set, a list (ct state), or a named set. */
function matchValues(right: unknown, family: string, table: string, sets: NamedSets): { values: string[]; set?: string } | undefined {
  if (typeof right === "string" && right.startsWith("@")) {
    const named = sets.get(`${family} ${table} ${right.slice(1)}`);
    if (!named) return undefined;
    const values = named.elements.map(elementText);
    return values.includes(undefined) ? undefined : { values: values as string[], set: right.slice(1) };
  }
  // fib's result: false is "missing", true "exists".
  if (typeof right === "boolean") return { values: [right ? "exists" : "missing"] };
  const items = Array.isArray(right) ? right : Array.isArray((right as { set?: unknown } | null)?.set) ? ((right as { set: unknown[] }).set) : [right];
  const values = items.map(elementText);
  return values.includes(undefined) ? undefined : { values: values as string[] };
}

const MAX_VALUE = 0xffffffff;

/** `tcp dport < 1024` as the range it means; undefined for what is not a number. */
function comparedRange(op: string, values: string[]): string | undefined {
  const n = values.length === 1 ? Number(values[0]) : NaN;
  if (!Number.isInteger(n)) return undefined;
  if (op === "<") return `0-${n - 1}`;
  if (op === "<=") return `0-${n}`;
  if (op === ">") return `${n + 1}-${MAX_VALUE}`;
  if (op === ">=") return `${n}-${MAX_VALUE}`;
  return undefined;
}

/** A `match` expression of a rule in the model, or undefined when it says something the model cannot hold. */
export function filterMatchOf(match: { op?: string; left?: unknown; right?: unknown }, family: string, table: string, sets: NamedSets): FilterMatch | undefined {
  const field = matchField(match.left);
  const right = matchValues(match.right, family, table, sets);
  if (!field || !right) return undefined;
  const base = { field: field.field, values: right.values, ...(right.set ? { set: right.set } : {}), ...(field.mask !== undefined ? { mask: field.mask } : {}) };
  if (match.op === "==" || match.op === "in") return { ...base, op: "==" };
  if (match.op === "!=") return { ...base, op: "!=" };
  const range = comparedRange(match.op ?? "", right.values);
  return range === undefined || right.set ? undefined : { ...base, op: "==", values: [range] };
}
