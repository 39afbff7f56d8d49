import type { FilterChain, FilterMatch, FilterRule, FilterRuleset } from "@netatlas/core";

/** A service without endpoints: kube-proxy rejects its cluster IP in filter's KUBE-SERVICES. */
export const REJECTED_SERVICE = { ip: "10.96.0.10", port: 443 };

const BASE_HOOKS = [
  ["INPUT", "input"],
  ["FORWARD", "forward"],
  ["OUTPUT", "output"],
] as const;

/** Rules per service: its KUBE-SERVICES rule, two KUBE-SVC jumps, one rule in each of two KUBE-SEP chains. */
const RULES_PER_SERVICE = 5;

const clusterIp = (s: number) => `10.96.${1 + Math.floor(s / 250)}.${(s % 250) + 1}`;
const servicePort = (s: number) => 1024 + (s % 60_000);
const chainHash = (kind: string, s: number, j = 0) => `${kind}-${(s * 2 + j).toString(36).toUpperCase().padStart(16, "0")}`;

/**
 * What kube-proxy's iptables mode (through iptables-nft) puts in a node's `ip filter`,
 * stretched to `count` rules: INPUT, FORWARD and OUTPUT send new connections to
 * KUBE-SERVICES, one `ip daddr . tcp dport` rule per service jumps to its KUBE-SVC-*
 * chain, which picks one of two KUBE-SEP-* chains (the first jump by a random
 * statistic, which the trace cannot decide), which accept it. FORWARD
 * also runs KUBE-FORWARD (invalid state, the masquerade mark). One service has no
 * endpoints and is rejected, as kube-proxy does. Every node of a cluster has the same
 * rules, so one ruleset serves the fleet.
 */
export function kubeProxyRuleset(netns: number, count: number): FilterRuleset {
  const chains: FilterChain[] = [];
  const rules: FilterRule[] = [];
  let handle = 2;
  const chain = (name: string, base?: { hook: string }) => chains.push({ netns, family: "ip", table: "filter", name, ...(base ? { hook: base.hook, priority: 0, policy: "accept", type: "filter" } : {}) });
  const rule = (chainName: string, matches: FilterMatch[], verdict: FilterRule["verdict"], text: string, extra: Partial<FilterRule> = {}) =>
    rules.push({ netns, family: "ip", table: "filter", chain: chainName, handle: handle++, matches, verdict, text, opaque: false, ...extra });
  const newConnection: FilterMatch = { field: "ct state", op: "==", values: ["new"] };

  for (const [name, hook] of BASE_HOOKS) {
    chain(name, { hook });
    if (name === "FORWARD") rule(name, [], "jump", "counter jump KUBE-FORWARD", { target: "KUBE-FORWARD" });
    rule(name, [newConnection], "jump", "ct state new counter jump KUBE-SERVICES", { target: "KUBE-SERVICES" });
  }
  chain("KUBE-FORWARD");
  rule("KUBE-FORWARD", [{ field: "ct state", op: "==", values: ["invalid"] }], "drop", "ct state invalid counter drop");
  rule("KUBE-FORWARD", [{ field: "mark", op: "==", values: ["16384"], mask: 16384 }], "accept", "meta mark & 0x00004000 == 0x00004000 counter accept");

  chain("KUBE-SERVICES");
  const serviceMatches = (ip: string, port: number): FilterMatch[] => [
    { field: "ip daddr", op: "==", values: [ip] },
    { field: "tcp dport", op: "==", values: [String(port)] },
  ];
  rule("KUBE-SERVICES", serviceMatches(REJECTED_SERVICE.ip, REJECTED_SERVICE.port), "reject", `ip daddr ${REJECTED_SERVICE.ip} tcp dport ${REJECTED_SERVICE.port} counter reject`);
  for (let s = 1; rules.length + RULES_PER_SERVICE <= count; s++) {
    const [ip, port, svc] = [clusterIp(s), servicePort(s), chainHash("KUBE-SVC", s)];
    rule("KUBE-SERVICES", serviceMatches(ip, port), "jump", `ip daddr ${ip} tcp dport ${port} counter jump ${svc}`, { target: svc });
    chain(svc);
    for (const j of [0, 1]) {
      const sep = chainHash("KUBE-SEP", s, j);
      const random = j === 0 ? { opaque: true, reason: "xt match statistic" } : {};
      rule(svc, [], "jump", `${j === 0 ? "xt match statistic " : ""}counter jump ${sep}`, { target: sep, ...random });
      chain(sep);
      rule(sep, [{ field: "tcp dport", op: "==", values: [String(port)] }], "accept", `tcp dport ${port} counter accept`);
    }
  }
  return { chains, rules };
}
