import type { NextConfig } from "next";
import { fileURLToPath } from "node:url";

/**
 * What a page may load: only this origin. Next's bootstrap and its streamed page
 * data are inline scripts (hence 'unsafe-inline' for scripts), React sets inline
 * styles, the topology's layout runs in /workers/topology-layout.js, and the page
 * talks only to /api (tRPC and the live event stream). No page may frame the dashboard.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const config: NextConfig = {
  // The container image runs the standalone server; `next start` (tests, the demo) runs the plain build.
  output: process.env.NETATLAS_STANDALONE === "1" ? "standalone" : undefined,
  // The monorepo's root, so standalone output traces workspace packages too.
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  // Loaded from node_modules at run time: PGlite finds its wasm beside its module, pg and undici open sockets, prom-client reads process internals.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "undici", "eventsource", "prom-client"],
  outputFileTracingIncludes: { "/**": ["./drizzle/**/*"] },
  poweredByHeader: false,
  // Each route's code loads at its first request: at start the event loop is taking in the whole fleet, which every page waits for anyway.
  experimental: { preloadEntriesOnStart: false },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
      // Only behind https (a TLS-terminating proxy says so): HSTS on a plain-http dashboard would lock browsers out of it.
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000" }] },
    ];
  },
};

export default config;
