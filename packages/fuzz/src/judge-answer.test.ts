import { describe, expect, it } from "vitest";
import type { HttpAnswer } from "./http-target.js";
import { judgeAnswer } from "./judge-answer.js";

const answer = (status: number, body: unknown): HttpAnswer => ({ status, headers: {}, body: typeof body === "string" ? body : JSON.stringify(body), bytes: 0, ms: 0 });
const typed = (code: string, extra: Record<string, unknown> = {}) => ({ error: { message: "m", code: -32600, data: { code, ...extra } } });

describe("judging a service's answer to a fuzzed call", () => {
  it("accepts an output with its data and a typed refusal", () => {
    expect(judgeAnswer("query", answer(200, { result: { data: { a: 1 } } }))).toEqual({ ok: true, kind: "output", data: { a: 1 } });
    expect(judgeAnswer("query", answer(400, typed("BAD_REQUEST")))).toEqual({ ok: true, kind: "refused" });
    expect(judgeAnswer("query", answer(431, "the request's headers are too large"))).toEqual({ ok: true, kind: "refused" });
  });

  it("names what is wrong with a crash, a stack trace, an untyped refusal or an empty 200", () => {
    expect(judgeAnswer("query", answer(500, typed("INTERNAL_SERVER_ERROR")))).toEqual({ ok: false, problem: "status 500: not a refusal of the input" });
    expect(judgeAnswer("query", answer(401, typed("UNAUTHORIZED", { stack: "Error\n at x" })))).toEqual({ ok: false, problem: "a stack trace reached the client" });
    expect(judgeAnswer("mutation", answer(400, "Bad Request"))).toEqual({ ok: false, problem: "a 4xx without tRPC's error code" });
    expect(judgeAnswer("query", answer(200, {}))).toEqual({ ok: false, problem: "a 200 without tRPC's result" });
  });
});
