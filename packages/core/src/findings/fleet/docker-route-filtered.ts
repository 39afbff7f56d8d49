import { describeStop, isIptablesChain } from "../../filter/describe.js";
import { evaluateHook, type FilterStop } from "../../filter/evaluate.js";
import { FilterTables } from "../../filter/tables.js";
import { chainName } from "../../model/filter.js";
import type { Finding } from "../../model/finding.js";
import { NamespaceRoutes } from "../../trace/route-table.js";
import { sampleAddress } from "../fabric-flows.js";
import type { FleetView, HostSubnet } from "./fleet-view.js";

interface Refused {
  host: string;
  target: HostSubnet;
  stop: FilterStop;
  sources: HostSubnet[];
}

/** A host's forward hook, compiled, with its routes: what the check asks of each Docker host once. */
function hostFilter(fleet: FleetView, node: string): { tables: FilterTables; routes: NamespaceRoutes } | undefined {
  const snapshot = fleet.snapshotOf(node);
  const host = snapshot?.namespaces.find((n) => n.kind === "host")?.id;
  if (!snapshot?.filter || host === undefined) return undefined;
  const tables = new FilterTables(snapshot.filter.chains.filter((c) => c.netns === host), snapshot.filter.rules.filter((r) => r.netns === host));
  return { tables, routes: new NamespaceRoutes(snapshot.routes.filter((r) => r.netns === host)) };
}

function fixFor(r: Refused, range: string, fleet: FleetView): string {
  const { stop, target } = r;
  const chain = stop.rule ? { family: stop.rule.family, table: stop.rule.table, name: stop.rule.chain } : stop.chain;
  const dockerUser = fleet.snapshotOf(r.host)?.filter?.chains.some((c) => c.family === chain.family && c.table === chain.table && c.name === "DOCKER-USER");
  if (isIptablesChain(chain)) return `iptables -I ${dockerUser ? "DOCKER-USER" : chain.name} -s ${range} -d ${target.subnet} -j ACCEPT`;
  return `nft insert rule ${chainName(chain)}${stop.rule?.handle === undefined ? "" : ` position ${stop.rule.handle}`} ip saddr ${range} ip daddr ${target.subnet} accept`;
}

/**
 * Docker networks the spec routes between hosts that a host's firewall keeps apart: a new
 * connection from another host's subnet of the fleet's networks into this host's bridge
 * is dropped at the forward hook (dockerd's FORWARD policy of drop, set when dockerd turns
 * forwarding on itself, lets in only published ports). Needs the spec and the hosts' filter rules.
 */
export function dockerRoutesFiltered(fleet: FleetView): Finding[] {
  const docker = fleet.spec?.docker;
  if (!docker || docker.routing === "none") return [];
  const names = new Set(docker.networks.map((n) => n.name));
  const subnets = fleet.subnets.filter((s) => names.has(s.network.name) && docker.hosts.includes(s.node) && s.network.bridge);
  const refused = new Map<string, Refused>();
  for (const host of docker.hosts) {
    const filter = hostFilter(fleet, host);
    if (!filter) continue;
    for (const target of subnets.filter((s) => s.node === host)) {
      const dst = sampleAddress(target.subnet, target.network.subnets[0]?.gateway ?? "");
      for (const source of subnets.filter((s) => s.node !== host)) {
        const src = sampleAddress(source.subnet, "");
        const iif = src && filter.routes.lookup(src)?.route.dev;
        if (!dst || !src || !iif) continue;
        const packet = { src, dst, protocol: "tcp" as const, sport: "ephemeral" as const, dport: 80, iif, oif: target.network.bridge, ct: { state: "new" as const, direction: "original" as const }, mark: 0 };
        const decision = evaluateHook(filter.tables, filter.tables.baseChains("ip", "forward"), packet);
        if (decision.kind !== "drop") continue;
        const key = `${host} ${target.subnet} ${chainName(decision.stop.chain)} ${decision.stop.rule?.handle ?? "policy"}`;
        const entry = refused.get(key) ?? { host, target, stop: decision.stop, sources: [] };
        entry.sources.push(source);
        refused.set(key, entry);
      }
    }
  }
  return [...refused.values()].map((r) => ({
    code: "docker-route-filtered",
    severity: "error",
    message: `${r.host}: ${describeStop(r.stop)} drops new connections from ${r.sources.map((s) => `${s.node}'s ${s.network.name} (${s.subnet})`).join(", ")} into its ${r.target.network.name} (${r.target.subnet}); the spec routes the fleet's Docker networks between hosts (${docker.routing})`,
    hint: fixFor(r, docker.range, fleet),
    subjects: [`${r.host}/docker/${r.target.network.name}`, r.target.subnet],
  }));
}
