// Bundles the topology layout worker into public/workers: Turbopack emits
// `new Worker(new URL(…))` as a raw asset, not a worker bundle.
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
