import type { Dashboard } from "./dashboard/dashboard.js";
import type { Io } from "./io.js";

/** What every command is given: the process's streams, and the dashboard of the context in use. */
export interface CliDeps {
  io: Io;
  /** The context file's path ($NETATLAS_CONFIG or ~/.config/netatlas/config). */
  configPath: string;
  /** The context named by --context, if one is. */
  contextName(): string | undefined;
  /** The dashboard of --context, or of the current context. */
  dashboard(): Dashboard;
  /** How often `apply` asks after its job. */
  pollMs: number;
}
