/**
 * The argument vectors `ip -batch` and `bridge -batch` run for `input`: a
 * TypeScript port of getcmdline and makeargs in iproute2's lib/utils.c, so tests
 * can check that a rendered line means exactly the command it came from.
 * Throws where iproute2 exits (an unterminated quote, a missing continuation).
 */
export function readBatch(input: string): string[][] {
  const lines = input.split(/(?<=\n)/);
  const commands: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = commandText(lines[i] ?? "");
    // A backslash before the newline joins the next line (its own comment cut first).
    for (let at = line.indexOf("\\\n"); at >= 0; at = line.indexOf("\\\n")) {
      const next = lines[++i];
      if (next === undefined) throw new Error("Missing continuation line");
      line = line.slice(0, at) + commandText(next);
    }
    const argv = makeargs(line);
    if (argv.length) commands.push(argv);
  }
  return commands;
}

/** A line as C sees it (it ends at a NUL), cut at its first '#' wherever that is, inside quotes too. */
function commandText(raw: string): string {
  const cString = raw.split("\0")[0] ?? "";
  const hash = cString.indexOf("#");
  return hash >= 0 ? cString.slice(0, hash) : cString;
}

const WHITESPACE = " \t\r\n";

/** Words split on WHITESPACE; a word that starts with ' or " runs to the next same quote. */
function makeargs(line: string): string[] {
  const argv: string[] = [];
  let cp = 0;
  while (cp < line.length) {
    while (cp < line.length && WHITESPACE.includes(line[cp] as string)) cp++;
    if (cp >= line.length) break;
    const first = line[cp] as string;
    if (first === "'" || first === '"') {
      const end = line.indexOf(first, cp + 1);
      if (end < 0) throw new Error("Unterminated quoted string");
      argv.push(line.slice(cp + 1, end));
      cp = end + 1;
    } else {
      let end = cp;
      while (end < line.length && !WHITESPACE.includes(line[end] as string)) end++;
      argv.push(line.slice(cp, end));
      cp = end + 1;
    }
  }
  return argv;
}
