export { run, CommandError, type RunOptions, type RunResult } from "./exec.js";
