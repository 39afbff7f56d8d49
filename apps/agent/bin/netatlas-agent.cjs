#!/usr/bin/env -S node --max-semi-space-size=4
"use strict";
// --max-semi-space-size=4 (MB, V8's default is 16): under a storm of changes the agent allocates fast and
// its young generation grew to its full size; a smaller one keeps a 110-pod node's agent under 150 MB
// (tools/bench --churn) at no measurable CPU. Unlike a heap cap it never stops an agent on a big node.
// CommonJS, as is the bundle: a CLI run then never starts Node's ES module loader.
const { existsSync } = require("node:fs");
const { dirname, join } = require("node:path");

const bundle = join(__dirname, "../dist/bundle/cli.cjs");
// Each command compiles other functions of the bundle, so each keeps its own code cache.
const COMMANDS = ["snapshot", "serve", "plan", "apply", "schema"];

async function start() {
  if (!existsSync(bundle)) {
    const { main } = await import("../dist/cli.js");
    await main(process.argv);
    return;
  }
  // The bundle finds the netlink addon through the installed @netatlas/linux package, since it no longer sits beside it.
  if (!process.env.NETATLAS_NETLINK_ADDON) {
    try {
      const linux = dirname(require.resolve("@netatlas/linux/package.json"));
      process.env.NETATLAS_NETLINK_ADDON = join(linux, "native", "build", "Release", "netatlas_netlink.node");
    } catch {
      // Without the package the agent falls back to iproute2 and says so in the snapshot.
    }
  }
  // NETATLAS_COMPILE_CACHE: "off", or a directory for the code cache (default: beside the bundle).
  const setting = process.env.NETATLAS_COMPILE_CACHE;
  const command = process.argv[2];
  const cli = require("./load-bundle.cjs").loadBundle(bundle, {
    cacheDir: setting === "off" ? false : setting || undefined,
    variant: COMMANDS.includes(command) ? command : "other",
  });
  await cli.exports.main(process.argv);
  const saved = cli.saveCache();
  // Beside the bundle a read-only install simply runs without one; a directory asked for says why not.
  if (setting && setting !== "off" && saved !== true && cli.cache !== "used") process.stderr.write(`netatlas-agent: compile cache not written to ${setting}: ${saved}\n`);
}

start();
