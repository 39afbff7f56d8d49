// Proves that a package is pure: bundles its entry for the browser with esbuild,
// which fails on any import of a node: module, directly or through a dependency.
import { build } from "esbuild";

const entry = process.argv[2];
if (!entry) {
  console.error("usage: check-browser-safe.mjs ENTRY.ts");
  process.exit(2);
}
try {
  await build({ entryPoints: [entry], bundle: true, platform: "browser", write: false, logLevel: "silent", conditions: ["@netatlas/source"] });
  console.log(`${entry}: bundles for the browser (no node: modules reachable)`);
} catch (error) {
  for (const e of error.errors ?? []) console.error(`${e.location?.file ?? entry}:${e.location?.line ?? 0}: ${e.text}`);
  console.error(`${entry}: not browser-safe; core must not import node: modules or packages that do.`);
  process.exit(1);
}
