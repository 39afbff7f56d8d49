import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { builtinModules } from "node:module";

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const appPackages = ["netatlas", "netatlas-agent", "netatlas-lab", "netatlas-dashboard", "@netatlas/bench"];
const appPaths = ["**/apps/**", "**/tools/**"];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/.next/**", "**/node_modules/**", "**/build/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: [{ group: ["@netatlas/*/*", "!@netatlas/core/snapshot.schema.json", "!@netatlas/linux/testing"], message: "Import a package through its index (its package.json exports), never a deep path." }] }],
    },
  },
  // The house's boundaries (DESIGN.md): arrows only point down.
  {
    files: ["packages/core/src/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: nodeBuiltins.map((name) => ({ name, message: "core is pure: no node: modules (it runs in the browser too)." })),
        patterns: [
          { group: ["node:*"], message: "core is pure: no node: modules (it runs in the browser too)." },
          { group: ["@netatlas/*", "!@netatlas/core", ...appPackages], message: "core imports no other netatlas package." },
        ],
      }],
    },
  },
  {
    files: ["packages/**/*.ts"],
    ignores: ["packages/core/src/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: [...appPackages, ...appPaths], message: "packages never import apps or tools." },
          { group: ["@netatlas/*/*", "!@netatlas/linux/testing"], message: "Import a package through its index, never a deep path." },
        ],
      }],
    },
  },
  {
    files: ["apps/agent/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["netatlas-lab", "netatlas-dashboard", "@netatlas/bench", "**/apps/dashboard/**", "**/tools/**"], message: "apps never import each other or tools." }, { group: ["@netatlas/*/*", "!@netatlas/linux/testing"], message: "Import a package through its index." }] }] },
  },
  {
    files: ["apps/dashboard/**/*.ts", "apps/dashboard/**/*.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["netatlas-agent", "netatlas-lab", "@netatlas/bench", "**/apps/agent/**", "**/tools/**"], message: "apps never import each other or tools." }, { group: ["@netatlas/*/*", "!@netatlas/linux/testing"], message: "Import a package through its index." }] }] },
  },
);
