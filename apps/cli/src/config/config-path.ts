import { homedir } from "node:os";
import { join } from "node:path";

/** The context file: $NETATLAS_CONFIG, else ~/.config/netatlas/config (as kubectl has ~/.kube/config). */
export function configPath(env: Record<string, string | undefined>): string {
  return env.NETATLAS_CONFIG || join(homedir(), ".config", "netatlas", "config");
}
