import type { NextConfig } from "next";
import { fileURLToPath } from "node:url";

const config: NextConfig = {
  // The container image runs the standalone server; `next start` (tests, the demo) runs the plain build.
  output: process.env.NETATLAS_STANDALONE === "1" ? "standalone" : undefined,
  // The monorepo's root, so standalone output traces workspace packages too.
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  // Loaded from node_modules at run time: PGlite finds its wasm beside its module, pg and undici open sockets.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "undici", "eventsource"],
  outputFileTracingIncludes: { "/**": ["./drizzle/**/*"] },
  poweredByHeader: false,
};

export default config;
