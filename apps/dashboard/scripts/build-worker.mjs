// Bundles the app's worker threads: the topology layout's into public/workers (Turbopack
// emits `new Worker(new URL(…))` as a raw asset, not a worker bundle), and the server's
// snapshot intake into dist/ (loaded by path at run time, beside the app, as the image has it).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const app = fileURLToPath(new URL("..", import.meta.url));
await build({
  absWorkingDir: app,
  entryPoints: ["src/client/topology-layout.worker.ts"],
  outfile: "public/workers/topology-layout.js",
  bundle: true,
  format: "iife",
  minify: true,
  logLevel: "warning",
});
// Everything in one file (CommonJS, as undici requires Node's modules): the standalone image traces no node_modules for it.
await build({
  absWorkingDir: app,
  entryPoints: ["src/server/fleet/intake/intake-worker.ts"],
  outfile: "dist/snapshot-intake-worker.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // The workspace packages from their sources, as the app's own build takes them: no order between builds.
  conditions: ["@netatlas/source"],
  logLevel: "warning",
});
