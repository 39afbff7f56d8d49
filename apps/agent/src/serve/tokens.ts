import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Scope } from "@netatlas/agent-api";

interface TokenEntry {
  scope: Scope;
  digest: Buffer;
}

const digest = (token: string) => createHash("sha256").update(token).digest();

const HOW_TO_MAKE_ONE = "use a long random one, e.g. the output of: openssl rand -hex 32";

/**
 * Words of the placeholders people leave in a token file (deploy/kubernetes's
 * REPLACE-WITH-A-LONG-RANDOM-ADMIN-TOKEN among them). None can occur in hex; in
 * base64, one of them turns up in a few of a million random tokens.
 */
const PLACEHOLDER_WORDS = /replace|change|example|placeholder|token|secret|password|dummy/i;

/** Bits in a string by how often each of `symbols` occurs (Shannon entropy times length). */
function shannonBits(symbols: readonly (string | number)[]): number {
  const counts = new Map<string | number, number>();
  for (const s of symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= count * Math.log2(count / symbols.length);
  return bits;
}

/**
 * A token's estimated randomness: the lower of the Shannon entropy of its
 * characters and of the steps between neighbours (0123456789abcdef… has 16
 * characters but one step), times its length. `openssl rand -hex 32` gives
 * ~210-250 bits, 24 random bytes in base64 ~125-150, `aaaa…` 0.
 */
function estimatedBits(token: string): number {
  const codes = Array.from(token, (c) => c.codePointAt(0) as number);
  const steps = codes.slice(1).map((code, i) => code - (codes[i] as number));
  const perStep = steps.length ? shannonBits(steps) / steps.length : 0;
  return Math.min(shannonBits(codes), perStep * codes.length);
}

/** Tokens below this estimate are refused: a guess must not be feasible. */
const MIN_BITS = 64;

/** Why `token` must not guard the agent, or undefined when it may. */
function weakness(token: string): string | undefined {
  if (token.length < 16) return `is shorter than 16 characters; ${HOW_TO_MAKE_ONE}`;
  const word = PLACEHOLDER_WORDS.exec(token)?.[0];
  if (word) return `looks like a placeholder (it contains "${word}"); replace it: ${HOW_TO_MAKE_ONE}`;
  const bits = estimatedBits(token);
  if (bits < MIN_BITS) return `is too predictable (about ${Math.floor(bits)} bits by its repeated or sequential characters, at least ${MIN_BITS} needed); ${HOW_TO_MAKE_ONE}`;
  return undefined;
}

/**
 * Bearer tokens and their scopes, from a file of `SCOPE TOKEN` lines (# comments).
 * Tokens are compared as SHA-256 digests with timingSafeEqual, so neither the
 * length nor the content of a guess leaks through timing.
 */
export class TokenTable {
  private constructor(private readonly entries: TokenEntry[]) {}

  /** Refuses, naming file:line, a malformed line, a weak or placeholder token, and a token listed twice. */
  static parse(text: string, source: string): TokenTable {
    const entries: TokenEntry[] = [];
    const lineOf = new Map<string, { line: number; scope: Scope }>();
    text.split("\n").forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith("#")) return;
      const [scope, token, ...rest] = line.split(/\s+/);
      const where = `${source}:${i + 1}`;
      if (!Scope.safeParse(scope).success) throw new Error(`${where}: scope "${scope}" must be "read" or "admin"`);
      if (!token || rest.length) throw new Error(`${where}: expected "SCOPE TOKEN" (two words)`);
      const why = weakness(token);
      if (why) throw new Error(`${where}: the ${scope} token ${why}`);
      const tokenDigest = digest(token);
      const key = tokenDigest.toString("hex");
      const first = lineOf.get(key);
      // Under two scopes, which one a token has would depend on the order of its lines.
      if (first) throw new Error(`${where}: this ${scope} token is already on line ${first.line} (as ${first.scope}); list each token once, under one scope, and give each scope its own token`);
      lineOf.set(key, { line: i + 1, scope: scope as Scope });
      entries.push({ scope: scope as Scope, digest: tokenDigest });
    });
    if (entries.length === 0) throw new Error(`${source}: no tokens; add lines like "admin <token>" and "read <token>"`);
    return new TokenTable(entries);
  }

  static async fromFile(path: string): Promise<TokenTable> {
    const text = await readFile(path, "utf8").catch((error: Error) => {
      throw new Error(`--token-file ${path}: ${error.message}`);
    });
    return TokenTable.parse(text, path);
  }

  scopeOf(token: string | undefined): Scope | null {
    if (!token) return null;
    const guess = digest(token);
    let found: Scope | null = null;
    // Check every entry, so the time taken does not say which one matched.
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, guess)) found = entry.scope;
    return found;
  }
}
