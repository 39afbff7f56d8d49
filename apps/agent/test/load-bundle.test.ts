import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

interface Loaded {
  exports: { answer(): string };
  cache: "off" | "absent" | "used" | "rejected";
  saveCache(): boolean;
}
const { loadBundle } = createRequire(import.meta.url)("../bin/load-bundle.cjs") as { loadBundle(file: string, options?: { cacheDir?: string | false }): Loaded };

describe("the bin's bundle loader and its code cache", () => {
  let dir: string;
  const bundle = (answer: string) => {
    const file = join(dir, "cli.cjs");
    writeFileSync(file, `const os = require("node:os"); exports.answer = () => ${JSON.stringify(answer)} + (os.EOL ? "" : "?");\n`);
    return file;
  };
  const caches = () => readdirSync(join(dir, "compile-cache")).filter((f) => f.endsWith(".v8"));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "netatlas-load-bundle-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the bundle, writes its cache after the run, and uses it the next time", () => {
    const file = bundle("first");
    const cold = loadBundle(file);
    expect(cold.exports.answer()).toBe("first");
    expect(cold.cache).toBe("absent");
    expect(cold.saveCache()).toBe(true);
    expect(caches()).toHaveLength(1);
    const warm = loadBundle(file);
    expect(warm.exports.answer()).toBe("first");
    expect(warm.cache).toBe("used");
    expect(warm.saveCache()).toBe(false);
  });

  it("keys the cache by content: a rebuilt bundle of the same length never runs on the old one's cache", () => {
    loadBundle(bundle("aaaaa")).saveCache();
    const rebuilt = loadBundle(bundle("bbbbb"));
    expect(rebuilt.exports.answer()).toBe("bbbbb");
    expect(rebuilt.cache).toBe("absent");
    rebuilt.saveCache();
    expect(caches()).toHaveLength(2);
  });

  it("writes nothing when the cache is off, and runs on when the cache directory cannot be written", () => {
    const file = bundle("plain");
    const off = loadBundle(file, { cacheDir: false });
    expect(off.cache).toBe("off");
    expect(off.saveCache()).toBe(false);
    const readOnly = join(dir, "read-only");
    writeFileSync(readOnly, "a file where the cache directory would go");
    chmodSync(readOnly, 0o444);
    const blocked = loadBundle(file, { cacheDir: join(readOnly, "cache") });
    expect(blocked.exports.answer()).toBe("plain");
    expect(blocked.saveCache()).toBe(false);
  });
});
