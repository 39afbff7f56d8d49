import { lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SECRET_KEY_FILE, secretKey } from "./secret-key";

describe("the dashboard's secret key", () => {
  const base = mkdtempSync(join(tmpdir(), "netatlas-secret-key-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("is made once in the data directory, readable by this user only, and read back after", () => {
    const dataDir = join(base, "data");
    const key = secretKey(dataDir, undefined);
    expect(key).toHaveLength(32);
    expect(lstatSync(join(dataDir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(secretKey(dataDir, undefined).equals(key)).toBe(true);
  });

  it("comes from NETATLAS_SECRET_KEY when given, and then no file is written", () => {
    const dataDir = join(base, "from-env");
    expect(secretKey(dataDir, "a".repeat(32)).equals(secretKey(dataDir, "a".repeat(32)))).toBe(true);
    expect(secretKey(dataDir, "a".repeat(32)).equals(secretKey(dataDir, "b".repeat(32)))).toBe(false);
    expect(() => readFileSync(join(dataDir, SECRET_KEY_FILE))).toThrow(/ENOENT/);
  });

  it("names the file that holds no key, and what to do", () => {
    const dataDir = mkdtempSync(join(base, "bad-"));
    writeFileSync(join(dataDir, SECRET_KEY_FILE), "short\n");
    expect(() => secretKey(dataDir, undefined)).toThrow(/secret.key holds no dashboard key \(expected 32 bytes in base64url, found 3\); restore it, or remove it/);
  });
});
