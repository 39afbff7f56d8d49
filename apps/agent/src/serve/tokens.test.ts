import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TokenTable } from "./tokens.js";

const hex32 = () => randomBytes(32).toString("hex");
const parse = (text: string) => () => TokenTable.parse(text, "tokens");

describe("the token file", () => {
  it("takes the tokens people are told to make, and the lab's, each under its scope", () => {
    for (let i = 0; i < 500; i++) {
      // openssl rand -hex 32; head -c 24 /dev/urandom | base64; tools/lab's randomBytes(24) in hex.
      const [admin, read, lab] = [hex32(), randomBytes(24).toString("base64"), randomBytes(24).toString("hex")];
      const table = TokenTable.parse(`# scope token\nadmin ${admin}\nread ${read}\n\nread ${lab}\n`, "tokens");
      expect([table.scopeOf(admin), table.scopeOf(read), table.scopeOf(lab), table.scopeOf(hex32())]).toEqual(["admin", "read", "read", null]);
    }
  });

  it.each([
    ["REPLACE-WITH-A-LONG-RANDOM-ADMIN-TOKEN", /tokens:2: the admin token looks like a placeholder \(it contains "REPLACE"\); replace it: use a long random one, e\.g\. the output of: openssl rand -hex 32/],
    ["changeme-4f9a1c7e2b8d3a6f", /looks like a placeholder \(it contains "change"\)/],
    ["my-admin-token-0123456789abcdef", /looks like a placeholder \(it contains "token"\)/],
    ["xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", /too predictable \(about \d+ bits/],
    ["0123456789abcdef0123456789abcdef", /too predictable/],
    ["abababababababababababababababab", /too predictable/],
    ["a1b2c3", /shorter than 16 characters/],
  ])("refuses %j at file:line, saying why and how to make one", (token, message) => {
    expect(parse(`read ${hex32()}\nadmin ${token}\n`)).toThrow(message);
    expect(parse(`read ${hex32()}\nadmin ${token}\n`)).toThrow(/openssl rand -hex 32/);
  });

  it("refuses a token listed under two scopes, or twice, naming both lines", () => {
    const token = hex32();
    expect(parse(`read ${token}\nread ${hex32()}\nadmin ${token}\n`)).toThrow("tokens:3: this admin token is already on line 1 (as read); list each token once, under one scope");
    expect(parse(`admin ${token}\nadmin ${token}\n`)).toThrow("tokens:2: this admin token is already on line 1 (as admin)");
  });
});
