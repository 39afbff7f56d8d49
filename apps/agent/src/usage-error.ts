/** Bad input from the command line or a file it names: the CLI says so and exits 2, like a bad flag. */
export class UsageError extends Error {
  override name = "UsageError";
}
