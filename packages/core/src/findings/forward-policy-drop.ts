import { isIptablesChain } from "../filter/describe.js";
import type { FilterChain } from "../model/filter.js";
import { chainName } from "../model/filter.js";
import type { Finding } from "../model/finding.js";
import type { SnapshotView } from "./context.js";
import { fabricFlows, type FabricFlow } from "./fabric-flows.js";

/** The rule that lets the flow through, where it is best put: Docker's DOCKER-USER when dockerd's chains are there (dockerd keeps it first). */
function fixFor(chain: FilterChain, flow: FabricFlow, hasDockerUser: boolean): string {
  const side = flow.kind === "bridge-out" ? "s" : "d";
  if (isIptablesChain(chain)) return `iptables -I ${hasDockerUser ? "DOCKER-USER" : chain.name} -${side} ${flow.subnet} -j ACCEPT`;
  return `nft insert rule ${chainName(chain)} ip ${side}addr ${flow.subnet} accept`;
}

/**
 * A forward base chain whose policy is drop (dockerd sets it when it turns forwarding on)
 * on a node that bridges or routes containers: traffic of a bridge that no rule accepts is
 * dropped. Docker accepts its own networks' traffic; a pod bridge beside it (cni0) is the
 * classic victim. New connections into Docker networks are left out: dockerd drops them by
 * design unless a port is published.
 */
export function forwardPolicyDrops(view: SnapshotView): Finding[] {
  const byChain = new Map<string, { netns: number; chain: FilterChain; flows: FabricFlow[] }>();
  for (const flow of fabricFlows(view)) {
    if (flow.hook !== "forward" || flow.decision.kind !== "drop" || flow.decision.stop.rule) continue;
    const { chain } = flow.decision.stop;
    const key = `${flow.netns} ${chainName(chain)}`;
    const entry = byChain.get(key) ?? { netns: flow.netns, chain, flows: [] };
    entry.flows.push(flow);
    byChain.set(key, entry);
  }
  return [...byChain.values()].map(({ netns, chain, flows }) => {
    const hasDockerUser = view.snapshot.filter?.chains.some((c) => c.netns === netns && c.family === chain.family && c.table === chain.table && c.name === "DOCKER-USER") ?? false;
    return {
      code: "forward-policy-drop",
      severity: "error",
      message: `${chainName(chain)} in ${view.where(netns)} has policy drop and no rule accepts ${flows.map((f) => f.what).join("; ")}: the forward hook drops them`,
      hint: [...new Set(flows.map((f) => fixFor(chain, f, hasDockerUser)))].join("; "),
      subjects: [...new Set(flows.map((f) => view.where(netns, f.device)))],
    };
  });
}
