/**
 * Why iproute2's batch reader (getcmdline and makeargs in its lib/utils.c) would
 * not hand `arg` back as written, or undefined when it would. The reader cuts a
 * line at its first '#' (even inside quotes), splits it on " \t\r\n", takes a
 * word that starts with a quote as quoted up to the next one, joins a line that
 * ends in a backslash to the next, and ends a line at a NUL (C strings).
 */
function unbatchable(arg: string): string | undefined {
  if (arg === "") return "is empty, and a batch line has no empty words";
  if (arg.includes("#")) return "holds '#', where ip -batch would cut the line as a comment";
  if (/\s/.test(arg)) return "holds whitespace, where ip -batch would split it into two words";
  // eslint-disable-next-line no-control-regex -- the control characters are what it looks for
  if (/[\u0000-\u001f\u007f]/.test(arg)) return "holds a control character";
  if (arg.startsWith('"') || arg.startsWith("'")) return "starts with a quote, which ip -batch would read as the start of a quoted word";
  // Only before the line's end, but which argument ends a line depends on the op: refused wherever it is.
  if (arg.endsWith("\\")) return "ends in a backslash, which ip -batch would read at a line's end as joining the next line to it";
  return undefined;
}

/**
 * The `-batch` line that runs `argv` (its tool first): `ip -batch` and `bridge
 * -batch` read it back as exactly `argv` after the tool. An argument the batch
 * syntax cannot carry is refused, naming `what` (the op), rather than written
 * as a line that means another command (`dev eth0#x onlink` is read as `dev eth0`).
 */
export function batchLine(argv: readonly string[], what: string): string {
  for (const arg of argv.slice(1)) {
    const why = unbatchable(arg);
    if (why) throw new Error(`cannot write "${what}" as an ${argv[0] ?? "ip"} -batch line: the argument ${JSON.stringify(arg)} ${why}`);
  }
  return argv.slice(1).join(" ");
}
