import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

interface Loaded {
  exports: { answer(): string };
  cache: "off" | "absent" | "used" | "rejected";
  saveCache(): true | string;
}
type LoadBundle = (file: string, options?: { cacheDir?: string | false; variant?: string }) => Loaded;
const { loadBundle } = createRequire(import.meta.url)("../bin/load-bundle.cjs") as { loadBundle: LoadBundle };

describe("the bin's bundle loader and its code cache", () => {
  let dir: string;
  const cacheDir = () => join(dir, "compile-cache");
  const bundle = (answer: string) => {
    const file = join(dir, "cli.cjs");
    writeFileSync(file, `const os = require("node:os"); exports.answer = () => ${JSON.stringify(answer)} + (os.EOL ? "" : "?");\n`);
    return file;
  };
  const caches = () => readdirSync(cacheDir()).filter((f) => f.endsWith(".v8"));

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
    expect(warm.saveCache()).toBe("the cache was used");
  });

  it("keeps one cache per variant (command), each written by its own first run", () => {
    const file = bundle("x");
    loadBundle(file, { variant: "snapshot" }).saveCache();
    expect(loadBundle(file, { variant: "serve" }).cache).toBe("absent");
    expect(loadBundle(file, { variant: "snapshot" }).cache).toBe("used");
  });

  it("keys the cache by content: a rebuilt bundle of the same length never runs on the old one's cache", () => {
    loadBundle(bundle("aaaaa")).saveCache();
    const rebuilt = loadBundle(bundle("bbbbb"));
    expect(rebuilt.exports.answer()).toBe("bbbbb");
    expect(rebuilt.cache).toBe("absent");
    rebuilt.saveCache();
    expect(caches()).toHaveLength(2);
  });

  it("never hands V8 a damaged cache (V8 would abort on it): it runs without one and writes it again", () => {
    const file = bundle("whole");
    loadBundle(file).saveCache();
    const path = join(cacheDir(), caches()[0] as string);
    const bytes = readFileSync(path);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0xff;
    writeFileSync(path, bytes);
    const damaged = loadBundle(file);
    expect(damaged.exports.answer()).toBe("whole");
    expect(damaged.cache).toBe("absent");
    expect(damaged.saveCache()).toBe(true);
    expect(loadBundle(file).cache).toBe("used");
  });

  it("uses no cache that others can write or that is a symlink, and writes none into a shared directory", () => {
    const file = bundle("safe");
    loadBundle(file).saveCache();
    const path = join(cacheDir(), caches()[0] as string);
    chmodSync(path, 0o666);
    expect(loadBundle(file).cache).toBe("absent");
    chmodSync(path, 0o600);
    chmodSync(cacheDir(), 0o777);
    expect(loadBundle(file).cache).toBe("absent");
    expect(loadBundle(file).saveCache()).toMatch(/not a directory of this user that only it can write/);
    chmodSync(cacheDir(), 0o700);
    const linked = join(dir, "linked");
    mkdirSync(linked, { mode: 0o700 });
    symlinkSync(path, join(linked, caches()[0] as string));
    expect(loadBundle(file, { cacheDir: linked }).cache).toBe("absent");
  });

  it("writes nothing when the cache is off, and runs on when the cache directory cannot be made", () => {
    const file = bundle("plain");
    const off = loadBundle(file, { cacheDir: false });
    expect(off.cache).toBe("off");
    expect(off.saveCache()).toBe("the cache is off");
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "a file where the cache directory would go");
    const blocked = loadBundle(file, { cacheDir: join(blocker, "cache") });
    expect(blocked.exports.answer()).toBe("plain");
    expect(blocked.saveCache()).toMatch(/ENOTDIR/);
    // procfs answers ENOENT for a directory under it, where Node's recursive mkdir would spin for ever.
    expect(loadBundle(file, { cacheDir: "/proc/netatlas-no-such-dir" }).saveCache()).toMatch(/ENOENT/);
  });
});
