import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root, from this file's place in tools/bench/{src,dist}. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** ../shared beside the repository holds the physical-limit benchmark in C. */
export function sharedBenchSource(name: string): string | undefined {
  const path = fileURLToPath(new URL(`../../../../shared/bench/${name}`, import.meta.url));
  return existsSync(path) ? path : undefined;
}

export const agentBin = `${repoRoot}apps/agent/bin/netatlas-agent.cjs`;
