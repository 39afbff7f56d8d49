import { defineConfig } from "vitest/config";

// One run over every project, so CI prints one summary line.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tools/*"],
  },
});
