/** One field that differs between two versions of a spec; `from`/`to` undefined when the field was absent. */
export interface FieldChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The field-level differences of two JSON values. Lists of named things (the
 * spec's nodes) are matched by name, so removing one node reads as one removal,
 * not as every later node changing.
 */
export function diffSpecs(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffSpecs(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && [...before, ...after].every((v) => isObject(v) && typeof v.name === "string")) {
    const named = (list: unknown[]) => new Map(list.map((v) => [(v as { name: string }).name, v]));
    const b = named(before);
    const a = named(after);
    const names = [...new Set([...b.keys(), ...a.keys()])];
    return names.flatMap((n) => diffSpecs(b.get(n), a.get(n), `${path}[${n}]`));
  }
  return [{ path: path || "(spec)", ...(before === undefined ? {} : { from: before }), ...(after === undefined ? {} : { to: after }) }];
}
