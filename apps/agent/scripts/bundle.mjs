// Bundles the built agent (dist/main.js) into dist/bundle/: one module graph of a
// few files instead of hundreds, which halves the CLI's start-up; the server's
// modules stay in their own chunk, loaded only by `serve`. Whitespace and syntax are
// minified (names kept, so stack traces still read): V8 parses a third less, and the
// output stays ASCII, which Node decodes without a UTF-8 pass.
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    const standIn = fileURLToPath(new URL("./zod-english-only.mjs", import.meta.url));
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: standIn } : undefined));
  },
};

rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: ["dist/main.js"],
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  plugins: [zodEnglishOnly],
  // Bundled CommonJS dependencies still call require().
  banner: { js: 'import { createRequire as __netatlasCreateRequire } from "node:module"; const require = __netatlasCreateRequire(import.meta.url);' },
  logLevel: "warning",
});
