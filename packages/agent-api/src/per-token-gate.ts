import { createHash } from "node:crypto";

/**
 * Counts each token's open requests of one kind (expensive ones, streams) and turns away one over the bound.
 * Keyed by the token's sha256, so no token text outlives its request here; a
 * key goes once its last request has ended.
 */
export class PerTokenGate {
  private readonly open = new Map<string, number>();

  constructor(private readonly perToken: number) {}

  /** The function that ends this request's turn, or undefined when the token already has `perToken` open. */
  enter(token: string): (() => void) | undefined {
    const key = createHash("sha256").update(token).digest("hex");
    const count = this.open.get(key) ?? 0;
    if (count >= this.perToken) return undefined;
    this.open.set(key, count + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const rest = (this.open.get(key) ?? 1) - 1;
      if (rest > 0) this.open.set(key, rest);
      else this.open.delete(key);
    };
  }
}
