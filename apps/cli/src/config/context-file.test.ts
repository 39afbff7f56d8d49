import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../usage-error.js";
import { configPath } from "./config-path.js";
import { readContextFile, selectContext, withContext, writeContextFile, type ContextFile } from "./context-file.js";

const TOKEN = `na_${"A".repeat(43)}`;
const OTHER = `na_${"b".repeat(42)}-`;

describe("the context file", () => {
  const dir = mkdtempSync(join(tmpdir(), "netatlas-contexts-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lives at $NETATLAS_CONFIG, else in ~/.config/netatlas", () => {
    expect(configPath({ NETATLAS_CONFIG: "/x/y" })).toBe("/x/y");
    expect(configPath({})).toMatch(/\/\.config\/netatlas\/config$/);
  });

  it("is written 0600 in a directory made 0700, whatever the umask, and read back the same", () => {
    const path = join(dir, "new", "deeper", "config");
    const file: ContextFile = { "current-context": "lab", contexts: [{ name: "lab", server: "http://127.0.0.1:3000", token: TOKEN }] };
    const umask = process.umask(0o000);
    try {
      writeContextFile(path, file);
    } finally {
      process.umask(umask);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "new", "deeper")).mode & 0o777).toBe(0o700);
    expect(readContextFile(path)).toEqual({ file });
    expect(readFileSync(path, "utf8")).toContain("current-context: lab");
  });

  it("replaces a context of the same name and makes the new one current", () => {
    const a = { name: "a", server: "http://a", token: TOKEN };
    const b = { name: "b", server: "https://b", token: OTHER };
    const file = withContext(withContext({ contexts: [] }, b), a);
    expect(file).toEqual({ "current-context": "a", contexts: [a, b] });
    expect(withContext(file, { ...b, server: "https://b2" })).toEqual({ "current-context": "b", contexts: [a, { ...b, server: "https://b2" }] });
  });

  it("chooses the context named, else the current one, and says what exists when neither is there", () => {
    const file: ContextFile = { "current-context": "a", contexts: [{ name: "a", server: "http://a", token: TOKEN }] };
    expect(selectContext(file, "/cfg", undefined).name).toBe("a");
    expect(() => selectContext(file, "/cfg", "z")).toThrow(new UsageError('--context: there is no context "z" in /cfg (it has a); see netatlas config get-contexts'));
    expect(() => selectContext({ contexts: [] }, "/cfg", undefined)).toThrow(/--context: no current context in \/cfg; run netatlas login/);
  });

  it("reads a missing file as empty, and names the field of a malformed one", () => {
    expect(readContextFile(join(dir, "absent"))).toEqual({ file: { contexts: [] } });
    const bad = join(dir, "bad");
    writeFileSync(bad, "contexts:\n  - name: x\n    server: http://x\n    token: secret\n", { mode: 0o600 });
    expect(() => readContextFile(bad)).toThrow(`${bad}: contexts.0.token: not a netatlas API token`);
    writeFileSync(bad, "contexts: [", { mode: 0o600 });
    expect(() => readContextFile(bad)).toThrow(/: not YAML/);
  });

  it("warns when others may read the tokens in it", () => {
    const path = join(dir, "open", "config");
    mkdirSync(join(dir, "open"));
    writeContextFile(path, { contexts: [] });
    chmodSync(path, 0o644);
    expect(readContextFile(path).warning).toBe(`${path} can be read by others (mode 0644) and holds tokens; chmod 600 ${path}`);
  });
});
