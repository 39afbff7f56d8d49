"use strict";
// Loads a CommonJS bundle through a V8 code cache. Node 20 has no compile cache of its
// own (module.enableCompileCache came in Node 22), and for a command that runs a few
// hundred milliseconds, compiling its bundle is a fifth of the run.
//
// V8 trusts a cache it is given: it checks only the source's length, and a corrupt one
// can abort the process. So a cache is keyed by the bundle's content, V8 and Node's flags,
// carries a digest of its own bytes, and is read only from a directory and file of this
// user that nobody else can write; it is written under a fresh name and renamed into place.
const { createHash, randomBytes } = require("node:crypto");
const { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { basename, dirname, join } = require("node:path");
const { createRequire } = require("node:module");
const vm = require("node:vm");

const DIGEST_BYTES = 32;
const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), createHash("sha256")).digest();
const ownedAndPrivate = (stat) => stat.uid === process.getuid() && (stat.mode & 0o022) === 0;

/** The cache's bytes when the file is ours, unshared and whole; undefined otherwise. */
function readCache(dir, file) {
  let fd;
  try {
    const dirStat = lstatSync(dir);
    if (!dirStat.isDirectory() || !ownedAndPrivate(dirStat)) return undefined;
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    const stat = fstatSync(fd);
    if (!stat.isFile() || !ownedAndPrivate(stat)) return undefined;
    const bytes = readFileSync(fd);
    const data = bytes.subarray(DIGEST_BYTES);
    return bytes.length > DIGEST_BYTES && sha256(data).equals(bytes.subarray(0, DIGEST_BYTES)) ? data : undefined;
  } catch {
    return undefined; // none yet: this run writes it
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the cache under a fresh name and renames it into place: whole or not at all, also with two runs at once. */
function writeCache(dir, file, data) {
  // Not recursive: Node 20's recursive mkdir spins forever where the kernel answers ENOENT for a parent that exists (/proc).
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if (error.code !== "EEXIST") throw error;
  }
  const dirStat = lstatSync(dir);
  if (!dirStat.isDirectory() || !ownedAndPrivate(dirStat)) throw new Error(`${dir} is not a directory of this user that only it can write`);
  const partial = join(dir, `.${basename(file)}.${randomBytes(8).toString("hex")}`);
  try {
    writeFileSync(partial, Buffer.concat([sha256(data), data]), { flag: "wx", mode: 0o600 });
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * @param {string} file the bundle
 * @param {{ cacheDir?: string | false, variant?: string }} [options] where caches live (default: compile-cache/ beside
 *   the bundle; false for none), and which run this is (each command compiles other functions, so each has its cache)
 * @returns {{ exports: any, cache: "off" | "absent" | "used" | "rejected", saveCache(): true | string }}
 */
function loadBundle(file, options = {}) {
  const source = readFileSync(file);
  const cacheDir = options.cacheDir === undefined ? join(dirname(file), "compile-cache") : options.cacheDir;
  const key = sha256(source, `\0${process.versions.v8}\0${process.arch}\0${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}`).toString("hex").slice(0, 32);
  const cacheFile = cacheDir ? join(cacheDir, `${basename(file)}-${options.variant ?? "main"}-${key}.v8`) : undefined;
  const cachedData = cacheFile ? readCache(cacheDir, cacheFile) : undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source.toString("utf8")}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const cache = !cacheFile ? "off" : !cachedData ? "absent" : script.cachedDataRejected ? "rejected" : "used";
  return {
    exports: module.exports,
    cache,
    /** Call after the run, when the functions it needed are compiled too: writes the cache if none was used. True, or why not. */
    saveCache() {
      if (!cacheFile) return "the cache is off";
      if (cache === "used") return "the cache was used";
      try {
        writeCache(cacheDir, cacheFile, script.createCachedData());
        return true;
      } catch (error) {
        return error.message;
      }
    },
  };
}

module.exports = { loadBundle };
