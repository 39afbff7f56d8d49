import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isSealed, TokenSeal } from "./token-seal";

describe("token seal", () => {
  const seal = new TokenSeal(randomBytes(32));

  it("opens what it sealed, and the sealed text holds no trace of the token", () => {
    const sealed = seal.seal("agent-read-token");
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain("agent-read-token");
    expect(seal.seal("agent-read-token")).not.toBe(sealed);
    expect(seal.open(sealed)).toBe("agent-read-token");
  });

  it("refuses a token sealed under another key, or changed", () => {
    const sealed = seal.seal("agent-read-token");
    expect(() => new TokenSeal(randomBytes(32)).open(sealed)).toThrow(/sealed under another key/);
    const changed = `${sealed.slice(0, -2)}${sealed.endsWith("AA") ? "BB" : "AA"}`;
    expect(() => seal.open(changed)).toThrow(/sealed under another key/);
    expect(() => seal.open("plain-token")).toThrow("it is not a sealed token");
  });
});
