import fc from "fast-check";
import { z } from "zod";

/** The part of JSON Schema that zod's `toJSONSchema` emits for the inputs we fuzz. */
interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
}

/**
 * Stands for a 100,000-character string: expanded only when the input is sent
 * (`inputJson`), so fast-check's report of a failing input stays readable.
 */
export const HUGE_STRING = "<100000 x>";

/** An input as JSON, with every HUGE_STRING expanded. */
export const inputJson = (input: unknown) => JSON.stringify(input, (_key, value: unknown) => (value === HUGE_STRING ? "x".repeat(100_000) : value));

/** Values that have broken parsers before: huge, deep, odd keys, odd characters, wrong types. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom("", "#", "eth0#x", "a b", "\u0000", "..", "../../etc/passwd", "__proto__", "constructor", "💥", "\\", "'\"", "%00", "-1", "1e309", "NaN"),
  fc.constantFrom(null, true, false, 0, -1, 2 ** 53, -(2 ** 53), 1.5, Number.MAX_SAFE_INTEGER),
  fc.constant(HUGE_STRING),
  fc.constant(JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}') as unknown),
  fc.constant(Array.from({ length: 2_000 }, (_, i) => i)),
  fc.constant(deepNest(500)),
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.anything({ maxDepth: 3 }),
);

function deepNest(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  if (s.pattern) {
    try {
      const re = new RegExp(s.pattern);
      return fc.stringMatching(re).filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? 10_000));
    } catch {
      // A pattern JavaScript cannot compile: fall through to plain strings.
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 300) });
}

function typed(s: JsonSchema, type: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return stringArbitrary(s);
    case "integer":
      return fc.integer({ min: Math.max(s.minimum ?? -1e6, Number.MIN_SAFE_INTEGER), max: Math.min(s.maximum ?? 1e6, Number.MAX_SAFE_INTEGER) });
    case "number":
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(valid(s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 8) });
    case "object": {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) model[key] = valid(sub, depth + 1);
      return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

/** Values the schema should accept (as far as JSON Schema says: refinements may still refuse some). */
function valid(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => valid(a, depth + 1)));
  if (s.allOf?.length) return valid(Object.assign({}, ...s.allOf) as JsonSchema, depth + 1);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return fc.anything({ maxDepth: 2 });
  return fc.oneof(...types.map((t) => typed(s, t, depth)));
}

/** Replaces one random subtree of a value with a hostile one, or drops one key. */
function mutate(value: unknown): fc.Arbitrary<unknown> {
  return fc.tuple(fc.nat(), hostileValue, fc.boolean()).map(([pick, bad, drop]) => {
    if (value === null || typeof value !== "object") return bad;
    const copy = structuredClone(value) as Record<string, unknown>;
    const keys = Object.keys(copy);
    if (keys.length === 0) return { [String(pick % 3 === 0 ? "__proto__" : "extra")]: bad };
    const key = keys[pick % keys.length] as string;
    if (drop) delete copy[key];
    else copy[key] = bad;
    return copy;
  });
}

/**
 * Inputs for a procedure whose input is `schema`: mostly schema-shaped values (so the
 * fuzz reaches the code behind validation), some with one part made hostile, some
 * wholly hostile, and none at all.
 */
export function inputsFor(schema: z.ZodType | undefined): fc.Arbitrary<unknown> {
  if (!schema) return fc.oneof(fc.constant(undefined), hostileValue);
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const shaped = valid(json);
  return fc.oneof(
    { weight: 4, arbitrary: shaped },
    { weight: 3, arbitrary: shaped.chain(mutate) },
    { weight: 2, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}
