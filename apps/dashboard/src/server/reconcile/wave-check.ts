import { ipFamily, podFabricOf, podKey, type FleetSpec, type NodeSnapshot } from "@netatlas/core";
import type { WaveCheck } from "../../fleet/reconcile-model";
import type { AgentLookup } from "./node-agents";

const PROBE = { protocol: "icmp", count: 3, timeoutMs: 1_000 } as const;

/** Something to probe from or to: a namespace on a node and its IPv4 address. */
export interface ProbeEndpoint {
  name: string;
  netns: number;
  ip: string;
}

/** What the fleet spec routes across nodes: pods, and containers on the routed Docker networks of its Docker hosts. */
export interface CheckScope {
  pods: boolean;
  docker?: { hosts: readonly string[]; networks: readonly string[] };
}

/** Without a spec the check probes pods, as the pod fabric is the default fleet. */
export function checkScopeOf(spec: FleetSpec | undefined): CheckScope {
  if (!spec) return { pods: true };
  const docker = spec.docker && spec.docker.routing !== "none" ? { hosts: spec.docker.hosts, networks: spec.docker.networks.map((n) => n.name) } : undefined;
  return { pods: !!podFabricOf(spec), ...(docker ? { docker } : {}) };
}

/** A live pod with an IPv4 address to probe from or to, on the node's newest snapshot. */
export function probePod(snapshot: NodeSnapshot | undefined): ProbeEndpoint | undefined {
  for (const p of snapshot?.pods ?? []) {
    const ip = p.ips.find((a) => ipFamily(a) === 4);
    if (p.sandbox.alive && p.netns !== undefined && ip) return { name: podKey(p), netns: p.netns, ip };
  }
  return undefined;
}

/** A running Docker container with an IPv4 address on one of `networks` (those routed between hosts). */
export function probeContainer(snapshot: NodeSnapshot | undefined, networks: readonly string[]): ProbeEndpoint | undefined {
  for (const c of snapshot?.containers ?? []) {
    if (c.runtime !== "docker" || c.state !== "running" || c.netns === undefined) continue;
    const endpoint = c.endpoints.find((e) => networks.includes(e.network) && e.ipv4);
    if (endpoint?.ipv4) return { name: `${c.name} on ${endpoint.network}`, netns: c.netns, ip: endpoint.ipv4 };
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

interface ProbeKind {
  kind: WaveCheck["kind"];
  /** Whether both nodes of a pair should route this kind to each other. */
  applies: (from: string, to: string) => boolean;
  pick: (snapshot: NodeSnapshot | undefined) => ProbeEndpoint | undefined;
  /** What a node lacks when there is nothing of this kind on it to probe. */
  missing: string;
}

function probeKinds(scope: CheckScope): ProbeKind[] {
  const kinds: ProbeKind[] = [];
  if (scope.pods) kinds.push({ kind: "pod", applies: () => true, pick: probePod, missing: "no live pod with an IPv4 address" });
  const docker = scope.docker;
  if (docker) {
    const isHost = (n: string) => docker.hosts.includes(n);
    kinds.push({ kind: "container", applies: (a, b) => isHost(a) && isHost(b), pick: (s) => probeContainer(s, docker.networks), missing: `no running container with an IPv4 address on ${docker.networks.join(", ")}` });
  }
  return kinds;
}

/**
 * The post-apply check: every applied node probes a pod (and, between Docker
 * hosts, a container on a routed Docker network) on another node that should
 * now route to it, from one of its own, through its agent. A lone applied node
 * is checked against a peer whose agent reports it matches its intent; with no
 * such peer nothing crosses nodes yet. A pair with nothing to probe is
 * reported as skipped, with the reason.
 */
export function crossNodeCheck(snapshotOf: (node: string) => NodeSnapshot | undefined, agents: AgentLookup, peersInSync: () => string[] = () => [], scope: CheckScope = { pods: true }) {
  const kinds = probeKinds(scope);
  const probe = async (wave: number, from: string, to: string, k: ProbeKind): Promise<WaveCheck> => {
    const source = k.pick(snapshotOf(from));
    const dest = k.pick(snapshotOf(to));
    const base = { wave, from, to, kind: k.kind, target: dest?.ip ?? "-" };
    if (!source || !dest) return { ...base, result: "skipped", detail: `${source ? to : from} has ${k.missing} to probe ${source ? "to" : "from"}` };
    const choice = agents(from);
    if (!choice.ok) return { ...base, result: "failed", detail: choice.reason };
    try {
      const r = await choice.agent.probe({ netns: source.netns, target: dest.ip, ...PROBE });
      const got = r.attempts.filter((a) => a.ok).length;
      return { ...base, result: got > 0 ? "passed" : "failed", detail: `${source.name} -> ${dest.name}: ${got} of ${r.attempts.length} replies${got ? "" : ` (${r.attempts.find((a) => a.error)?.error ?? "no reply"})`}` };
    } catch (error) {
      return { ...base, result: "failed", detail: `probe from ${source.name} failed: ${(error as Error).message}` };
    }
  };
  return async (applied: string[], wave: number): Promise<WaveCheck[]> => {
    const pairs = probePairs(applied, peersInSync());
    return Promise.all(
      pairs.flatMap(([from, to]) => {
        const fitting = kinds.filter((k) => k.applies(from, to));
        if (!fitting.length) return [Promise.resolve<WaveCheck>({ wave, from, to, kind: kinds[0]?.kind ?? "pod", target: "-", result: "skipped", detail: "the fleet spec routes nothing between these two nodes" })];
        return fitting.map((k) => probe(wave, from, to, k));
      }),
    );
  };
}
