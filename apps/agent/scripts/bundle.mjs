// Bundles the built agent (dist/main.js) into dist/bundle/: one module graph of a
// few files instead of hundreds, which halves the CLI's start-up; the server's
// modules stay in their own chunk, loaded only by `serve`.
import { rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: ["dist/main.js"],
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Bundled CommonJS dependencies still call require().
  banner: { js: 'import { createRequire as __netatlasCreateRequire } from "node:module"; const require = __netatlasCreateRequire(import.meta.url);' },
  logLevel: "warning",
});
