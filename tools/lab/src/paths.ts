import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The lab's compiled helpers (pause, client, httpd link), built by `npm run build` into dist/bin. Works from src and dist. */
export const binDir = fileURLToPath(new URL("../dist/bin/", import.meta.url));
export const labBin = (name: "pause" | "client" | "httpd") => `${binDir}${name}`;

/** The agent's entry point in this repository (override with --agent-bin). */
export const defaultAgentBin = fileURLToPath(new URL("../../../apps/agent/bin/netatlas-agent.cjs", import.meta.url));

export const defaultRunDir = (prefix: string) => `/run/netatlas-lab/${prefix}`;

export const CNI_BIN_DIR = "/usr/lib/cni";

export function missingFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => !existsSync(p));
}
