"use strict";
// Loads a CommonJS bundle through a V8 code cache kept beside it. Node 20 has no compile
// cache of its own (module.enableCompileCache came in Node 22), and for a command that
// runs a few hundred milliseconds, compiling its bundle is a fifth of the run.
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { basename, dirname, join } = require("node:path");
const { createRequire } = require("node:module");
const vm = require("node:vm");

/**
 * @param {string} file the bundle
 * @param {{ cacheDir?: string | false }} [options] where caches live (default: compile-cache/ beside the bundle); false for none
 * @returns {{ exports: any, cache: "off" | "absent" | "used" | "rejected", saveCache(): boolean }}
 */
function loadBundle(file, options = {}) {
  const source = readFileSync(file);
  const cacheDir = options.cacheDir === undefined ? join(dirname(file), "compile-cache") : options.cacheDir;
  // V8 checks a cache against the source's length alone: the key is the content, V8's version and Node's flags.
  const key = createHash("sha256").update(source).update(`\0${process.versions.v8}\0${process.arch}\0${process.execArgv.join(" ")}`).digest("hex").slice(0, 32);
  const cacheFile = cacheDir ? join(cacheDir, `${basename(file)}-${key}.v8`) : undefined;
  let cachedData;
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // none yet: this run writes it
    }
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source.toString("utf8")}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const cache = !cacheFile ? "off" : !cachedData ? "absent" : script.cachedDataRejected ? "rejected" : "used";
  return {
    exports: module.exports,
    cache,
    /** Call after the run, when the functions it needed are compiled too: writes the cache if none was used. */
    saveCache() {
      if (!cacheFile || cache === "used") return false;
      try {
        mkdirSync(cacheDir, { recursive: true });
        const partial = `${cacheFile}.${process.pid}`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile); // whole or not at all, also with two agents starting at once
        return true;
      } catch {
        return false; // a read-only install runs without one
      }
    },
  };
}

module.exports = { loadBundle };
