import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Scope } from "@netatlas/agent-api";

interface TokenEntry {
  scope: Scope;
  digest: Buffer;
}

const digest = (token: string) => createHash("sha256").update(token).digest();

/**
 * Bearer tokens and their scopes, from a file of `SCOPE TOKEN` lines (# comments).
 * Tokens are compared as SHA-256 digests with timingSafeEqual, so neither the
 * length nor the content of a guess leaks through timing.
 */
export class TokenTable {
  private constructor(private readonly entries: TokenEntry[]) {}

  static parse(text: string, source: string): TokenTable {
    const entries: TokenEntry[] = [];
    text.split("\n").forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith("#")) return;
      const [scope, token, ...rest] = line.split(/\s+/);
      const where = `${source}:${i + 1}`;
      if (!Scope.safeParse(scope).success) throw new Error(`${where}: scope "${scope}" must be "read" or "admin"`);
      if (!token || rest.length) throw new Error(`${where}: expected "SCOPE TOKEN" (two words)`);
      if (token.length < 16) throw new Error(`${where}: the token is shorter than 16 characters; use a long random one (e.g. openssl rand -hex 32)`);
      entries.push({ scope: scope as Scope, digest: digest(token) });
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
