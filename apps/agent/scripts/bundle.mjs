// Bundles the built agent (dist/) into dist/bundle/ as CommonJS, which the bin loads
// through a V8 code cache (bin/load-bundle.cjs; Node 20 has no compile cache for ES
// modules). cli.cjs holds every command's definition and the short-lived commands
// (snapshot, schema); the server and the reconcile commands are bundles of their own,
// required only when run, so a snapshot neither parses nor compiles them. Whitespace and
// syntax are minified (names kept, so stack traces still read), and the output stays ASCII.
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

// The CLI's `await import("../serve/run-serve.js")` becomes a require of the sibling bundle.
const LAZY = { "run-serve": "dist/serve/run-serve.js", "run-reconcile": "dist/reconcile/run-reconcile.js" };
const lazyBundles = {
  name: "lazy-bundles",
  setup(b) {
    b.onResolve({ filter: /[\\/](run-serve|run-reconcile)\.js$/ }, (args) => ({ path: `./${args.path.match(/(run-serve|run-reconcile)\.js$/)[1]}.cjs`, external: true }));
  },
};

const common = {
  outdir: "dist/bundle",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  // import.meta does not exist in CommonJS; the addon's loader asks for its module's URL.
  define: { "import.meta.url": "__netatlasModuleUrl" },
  banner: { js: 'var __netatlasModuleUrl=require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
};

rmSync("dist/bundle", { recursive: true, force: true });
await build({ ...common, entryPoints: { cli: "dist/cli.js" }, plugins: [zodEnglishOnly, lazyBundles], supported: { "dynamic-import": false } });
await build({ ...common, entryPoints: LAZY, plugins: [zodEnglishOnly] });
