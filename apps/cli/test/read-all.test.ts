import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readAll } from "../src/io.js";

describe("reading a piped token", () => {
  it("reads a token as it comes", async () => {
    expect(await readAll(Readable.from(["na_abc", "def\n"]))).toBe("na_abcdef\n");
  });

  it("refuses a stdin far larger than any token instead of reading it whole", async () => {
    const endless = Readable.from((function* () {
      for (let i = 0; i < 1_000; i++) yield "x".repeat(1024);
    })());
    await expect(readAll(endless)).rejects.toThrow("stdin: more than 65536 bytes");
  });
});
