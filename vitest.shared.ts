import { defineProject } from "vitest/config";

// Tests import workspace packages from their TypeScript sources (the
// "@netatlas/source" export condition), so no build is needed before a test.
export function netatlasProject(name: string, options: { timeoutMs?: number } = {}) {
  return defineProject({
    resolve: { conditions: ["@netatlas/source"] },
    ssr: { resolve: { conditions: ["@netatlas/source"] } },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts", "e2e/**/*.test.ts"],
      testTimeout: options.timeoutMs ?? 5_000,
    },
  });
}
