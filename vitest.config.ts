import { defineConfig } from "vitest/config";

// One run over every project, so CI prints one summary line.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tools/*"],
    // Files one after another: the end-to-end tests build real namespaces, labs and
    // agents, and a node-wide snapshot in one file would see another file's namespaces.
    fileParallelism: false,
  },
});
