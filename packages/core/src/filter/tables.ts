import { chainName, type FilterChain, type FilterRule } from "../model/filter.js";
import { CompiledChain } from "./compiled-chain.js";

/** Which hooks a packet meets: an IPv4 or IPv6 packet in the IP stack, or a frame a bridge forwards. */
export type FilterLayer = "ip" | "ip6" | "bridge";

/** The families whose base chains run at a layer's hooks: inet chains run at both IP layers. */
const FAMILIES: Record<FilterLayer, readonly string[]> = { ip: ["ip", "inet"], ip6: ["ip6", "inet"], bridge: ["bridge"] };

/** NAT chains are the NAT rules' business; route chains filter like filter chains (they only re-route a changed packet too). */
const FILTERING = new Set(["filter", "route"]);

const byPriority = (a: CompiledChain, b: CompiledChain) => (a.chain.priority ?? 0) - (b.chain.priority ?? 0);

/**
 * One namespace's filter chains, compiled once: each chain's rules, and per layer and
 * hook the base chains in the order netfilter runs them (lowest priority first; ties keep
 * the order nft lists them, the best the snapshot can tell of registration order).
 */
export class FilterTables {
  private readonly chains = new Map<string, CompiledChain>();
  private readonly hooks = new Map<string, CompiledChain[]>();
  private readonly ingress: CompiledChain[] = [];

  constructor(chains: readonly FilterChain[], rules: readonly FilterRule[]) {
    const rulesOf = new Map<string, FilterRule[]>();
    for (const rule of rules) {
      const key = `${rule.family} ${rule.table} ${rule.chain}`;
      const list = rulesOf.get(key);
      if (list) list.push(rule);
      else rulesOf.set(key, [rule]);
    }
    for (const chain of chains) {
      const compiled = new CompiledChain(chain, rulesOf.get(chainName(chain)) ?? []);
      this.chains.set(chainName(chain), compiled);
      if (!chain.hook || !FILTERING.has(chain.type ?? "")) continue;
      if (chain.hook === "ingress") {
        this.ingress.push(compiled);
        continue;
      }
      for (const [layer, families] of Object.entries(FAMILIES)) {
        if (!families.includes(chain.family)) continue;
        const key = `${layer} ${chain.hook}`;
        this.hooks.set(key, [...(this.hooks.get(key) ?? []), compiled]);
      }
    }
    for (const list of this.hooks.values()) list.sort(byPriority);
    this.ingress.sort(byPriority);
  }

  get empty(): boolean {
    return this.chains.size === 0;
  }

  chain(family: string, table: string, name: string): CompiledChain | undefined {
    return this.chains.get(`${family} ${table} ${name}`);
  }

  /** The base chains a packet meets at `hook` (prerouting, input, forward, output, postrouting) of its layer. */
  baseChains(layer: FilterLayer, hook: string): readonly CompiledChain[] {
    return this.hooks.get(`${layer} ${hook}`) ?? [];
  }

  /**
   * The ingress chains (netdev, and inet since Linux 5.10) bound to `device`. A chain whose
   * devices are unknown (nft's JSON omits them and its text was not read) is left out: it
   * would otherwise stand for every device.
   */
  ingressChains(device: string): readonly CompiledChain[] {
    return this.ingress.filter((c) => c.chain.devices?.includes(device));
  }
}
