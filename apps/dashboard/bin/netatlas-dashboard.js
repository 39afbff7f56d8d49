#!/usr/bin/env node
// Starts the built dashboard (`next start`) with its agents given on the command line:
//   netatlas-dashboard --agent unix:/run/lab/node1/agent.sock --token-file /run/lab/tokens --port 3000
// Every option has an environment twin (see README); the options win.
//   netatlas-dashboard users add|remove|set-role|list ...   manages named users in the same database
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const usage = `usage: netatlas-dashboard [--agent URL]... [--agents-file FILE] [--token-file FILE] [--data-dir DIR] [--host 127.0.0.1] [--port 3000]
       netatlas-dashboard users add|remove|set-role|list ... (netatlas-dashboard users --help)`;

if (process.argv[2] === "users") {
  // Bundled from src/server/cli/users-command.ts by the build (scripts/build-cli.mjs).
  const bundle = new URL("../dist/users-command.js", import.meta.url);
  if (!existsSync(bundle)) {
    console.error(`netatlas-dashboard users: ${fileURLToPath(bundle)} is missing; build the dashboard first (npx nx run netatlas-dashboard:build)`);
    process.exit(1);
  }
  const { usersMain } = await import(bundle.href);
  process.exit(await usersMain(process.argv.slice(3)));
}
let values;
try {
  ({ values } = parseArgs({
    options: {
      agent: { type: "string", multiple: true, default: [] },
      "agents-file": { type: "string" },
      "token-file": { type: "string" },
      "data-dir": { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "3000" },
      help: { type: "boolean", default: false },
    },
  }));
} catch (error) {
  console.error(`netatlas-dashboard: ${error.message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
  console.error(`netatlas-dashboard: --port "${values.port}" is not a TCP port (1-65535)`);
  process.exit(2);
}

/**
 * The tokens of an agent token file ("read TOKEN" / "admin TOKEN" lines): the read
 * token for polling, the admin token (when there is one) for plans, applies, repairs,
 * probes and mode changes. Says which it found, so a missing admin line is no mystery.
 */
function readTokens(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    console.error(`netatlas-dashboard: --token-file: cannot read ${file}: ${error.message}`);
    process.exit(2);
  }
  const read = /^read (\S+)$/m.exec(text)?.[1];
  const admin = /^admin (\S+)$/m.exec(text)?.[1];
  if (!read) {
    console.error(`netatlas-dashboard: --token-file ${file} has no "read TOKEN" line`);
    process.exit(2);
  }
  console.error(`netatlas-dashboard: --token-file ${file}: read token${admin ? " and admin token (plans, applies, repairs, probes)" : " only (no \"admin TOKEN\" line: the dashboard can look but not plan, apply, repair or probe)"}`);
  return { read, admin };
}

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const tokens = values["token-file"] ? readTokens(values["token-file"]) : undefined;
const withTokens = (url) => (tokens ? { url, token: tokens.read, ...(tokens.admin ? { adminToken: tokens.admin } : {}) } : { url });
if (values.agent.length) env.NETATLAS_AGENTS = JSON.stringify(values.agent.map(withTokens));
if (values["agents-file"]) env.NETATLAS_AGENTS_FILE = values["agents-file"];
if (values["data-dir"]) env.NETATLAS_DATA_DIR = values["data-dir"];

const appDir = fileURLToPath(new URL("..", import.meta.url));
const next = createRequire(import.meta.url).resolve("next/dist/bin/next");
const child = spawn(process.execPath, [next, "start", "-H", values.host, "-p", values.port], { cwd: appDir, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
