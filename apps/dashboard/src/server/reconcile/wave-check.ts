import { ipFamily, podKey, type NodeSnapshot } from "@netatlas/core";
import type { WaveCheck } from "../../fleet/reconcile-model";
import type { AgentLookup } from "./node-agents";

const PROBE = { protocol: "icmp", count: 3, timeoutMs: 1_000 } as const;

/** A live pod with an IPv4 address to probe from or to, on the node's newest snapshot. */
export function probePod(snapshot: NodeSnapshot | undefined): { pod: string; netns: number; ip: string } | undefined {
  for (const p of snapshot?.pods ?? []) {
    const ip = p.ips.find((a) => ipFamily(a) === 4);
    if (p.sandbox.alive && p.netns !== undefined && ip) return { pod: podKey(p), netns: p.netns, ip };
  }
  return undefined;
}

/** Who probes whom: applied nodes in a ring; one applied node and a peer already in its intent: both ways; else nobody. */
export function probePairs(applied: readonly string[], peersInSync: readonly string[]): (readonly [string, string])[] {
  if (applied.length >= 2) return applied.map((from, i) => [from, applied[(i + 1) % applied.length] as string] as const);
  const [only] = applied;
  const peer = peersInSync.find((p) => p !== only);
  return only && peer ? [[only, peer], [peer, only]] : [];
}

/**
 * The post-apply check: every applied node probes a pod on another node that
 * should now route to it, from one of its own pods, through its agent (and
 * back). A lone applied node is checked against a peer whose agent reports it
 * matches its intent; with no such peer nothing crosses nodes yet.
 */
export function crossNodeCheck(snapshotOf: (node: string) => NodeSnapshot | undefined, agents: AgentLookup, peersInSync: () => string[] = () => []) {
  return async (applied: string[], wave: number): Promise<WaveCheck[]> => {
    const pairs = probePairs(applied, peersInSync());
    return Promise.all(
      pairs.map(async ([from, to]): Promise<WaveCheck> => {
        const source = probePod(snapshotOf(from));
        const dest = probePod(snapshotOf(to));
        if (!source || !dest) return { wave, from, to, target: dest?.ip ?? "-", ok: true, detail: `skipped: ${source ? to : from} has no live pod with an IPv4 address to probe` };
        const choice = agents(from);
        if (!choice.ok) return { wave, from, to, target: dest.ip, ok: false, detail: choice.reason };
        try {
          const r = await choice.agent.probe({ netns: source.netns, target: dest.ip, ...PROBE });
          const got = r.attempts.filter((a) => a.ok).length;
          return { wave, from, to, target: dest.ip, ok: got > 0, detail: `${source.pod} -> ${dest.pod}: ${got} of ${r.attempts.length} replies${got ? "" : ` (${r.attempts.find((a) => a.error)?.error ?? "no reply"})`}` };
        } catch (error) {
          return { wave, from, to, target: dest.ip, ok: false, detail: `probe from ${source.pod} failed: ${(error as Error).message}` };
        }
      }),
    );
  };
}
