// Builds the CLI into dist/main.js with esbuild rather than tsc: the client's types come from the dashboard's router
// through a type-only import, and tsc would emit every dashboard file it read for them. esbuild drops type imports, so
// the CLI ships none of the dashboard. Packages stay imports (resolved from node_modules when it runs);
// `npm run typecheck` is where the types are checked.
import { rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  packages: "external",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
});
