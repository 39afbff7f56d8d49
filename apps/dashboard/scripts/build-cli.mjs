// Bundles `netatlas-dashboard users` into dist/users-command.js: the bin runs on the built
// app without TypeScript, and the command reuses the app's own database, schema and
// password code. Packages stay external (PGlite, pg, drizzle from node_modules, as the server loads them).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const app = fileURLToPath(new URL("..", import.meta.url));
await build({
  absWorkingDir: app,
  entryPoints: ["src/server/cli/users-command.ts"],
  outfile: "dist/users-command.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
