/**
 * What the kernels' connection tracking learns from the request, which the reply then
 * meets: the source NAT bindings it made, and the namespaces it passed (where the reply
 * is "established"; elsewhere it is a new flow to conntrack).
 */
export class Conntrack {
  private readonly snat = new Map<string, string>();
  private readonly passed = new Set<string>();

  /** The request's source `original` left `node`/`netns` as `translated`. */
  bind(node: string, netns: number, translated: string, original: string): void {
    this.snat.set(`${node}/${netns}/${translated}`, original);
  }

  /** The original address of a reply's destination that a masquerade translated, if one did. */
  originalOf(node: string, netns: number, ip: string): string | undefined {
    return this.snat.get(`${node}/${netns}/${ip}`);
  }

  /** The request passed this namespace: its conntrack holds the connection. */
  record(node: string, netns: number): void {
    this.passed.add(`${node}/${netns}`);
  }

  holds(node: string, netns: number): boolean {
    return this.passed.has(`${node}/${netns}`);
  }
}
