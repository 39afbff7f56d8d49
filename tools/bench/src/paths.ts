import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root, from this file's place in tools/bench/{src,dist}. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** ../shared beside the repository holds the physical-limit benchmark in C. */
export function sharedBenchSource(name: string): string | undefined {
  const path = fileURLToPath(new URL(`../../../../shared/bench/${name}`, import.meta.url));
  return existsSync(path) ? path : undefined;
}

export const agentBin = `${repoRoot}apps/agent/bin/netatlas-agent.cjs`;

/** The Node flags the agent's bin runs with (its #! line, `#!/usr/bin/env -S node FLAGS`): the bench runs the agent as it is deployed. */
export function agentNodeFlags(): string[] {
  const [shebang = ""] = readFileSync(agentBin, "utf8").split("\n", 1);
  const words = shebang.split(/\s+/);
  return words.slice(words.indexOf("node") + 1);
}
