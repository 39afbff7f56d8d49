import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { inputsFor } from "./schema-arbitrary.js";

const Input = z.object({ name: z.string().regex(/^[a-z]{1,8}$/), count: z.number().int().min(0).max(9), mode: z.enum(["observe", "repair"]).optional() }).strict();

describe("inputsFor", () => {
  it("makes mostly inputs the schema accepts, and some it refuses", () => {
    const sample = fc.sample(inputsFor(Input), { numRuns: 400, seed: 7 });
    const accepted = sample.filter((v) => Input.safeParse(v).success).length;
    expect(accepted).toBeGreaterThan(80);
    expect(accepted).toBeLessThan(380);
  });

  it("makes hostile inputs for a procedure that takes none", () => {
    const sample = fc.sample(inputsFor(undefined), { numRuns: 100, seed: 3 });
    expect(sample.some((v) => v === undefined)).toBe(true);
    expect(sample.some((v) => v !== undefined)).toBe(true);
  });
});
