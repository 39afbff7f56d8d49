/** Bad input: a flag, an argument or a file it names. The CLI prints the message (it names the field) and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
