import { describeStop, isIptablesChain } from "../filter/describe.js";
import type { FilterStop } from "../filter/evaluate.js";
import { chainName } from "../model/filter.js";
import type { Finding } from "../model/finding.js";
import type { SnapshotView } from "./context.js";
import { fabricFlows, type FabricFlow } from "./fabric-flows.js";

/** The accept that lets the flow past the stop, put right before it. */
function fixFor(stop: FilterStop, flow: FabricFlow): string {
  const chain = stop.rule ? { family: stop.rule.family, table: stop.rule.table, name: stop.rule.chain } : stop.chain;
  const port = flow.packet.dport;
  if (isIptablesChain(chain)) {
    const what = flow.kind === "vxlan" ? `-p udp --dport ${port}` : `-${flow.kind === "bridge-out" ? "s" : "d"} ${flow.subnet}`;
    return `iptables -I ${chain.name} ${what} -j ACCEPT`;
  }
  const what = flow.kind === "vxlan" ? `udp dport ${port}` : `ip ${flow.kind === "bridge-out" ? "s" : "d"}addr ${flow.subnet}`;
  const position = stop.rule?.handle === undefined ? "" : ` position ${stop.rule.handle}`;
  return `nft insert rule ${chainName(chain)}${position} ${what} accept`;
}

/**
 * A filter rule that drops traffic the pod fabric needs: the VXLAN port on the underlay
 * (input), or a pod bridge's subnet to and from the fabric's routes (forward). A forward
 * policy drop has its own finding; an input policy drop that refuses the VXLAN port is
 * reported here. Docker networks are left to dockerd's own rules.
 */
export function filterDropsFabric(view: SnapshotView): Finding[] {
  const found = new Map<string, { flow: FabricFlow; stop: FilterStop; flows: FabricFlow[] }>();
  for (const flow of fabricFlows(view)) {
    if (flow.docker || flow.decision.kind !== "drop") continue;
    const { stop } = flow.decision;
    if (!stop.rule && flow.hook === "forward") continue;
    const key = `${flow.netns} ${chainName(stop.chain)} ${stop.rule?.handle ?? "policy"}`;
    const entry = found.get(key) ?? { flow, stop, flows: [] };
    entry.flows.push(flow);
    found.set(key, entry);
  }
  return [...found.values()].map(({ flow, stop, flows }) => ({
    code: "filter-drops-fabric",
    severity: "error",
    message: `${describeStop(stop)} in ${view.where(flow.netns)} drops ${flows.map((f) => f.what).join("; ")}`,
    hint: [...new Set(flows.map((f) => fixFor(stop, f)))].join("; "),
    subjects: [...new Set(flows.map((f) => view.where(f.netns, f.device)))],
  }));
}
