import { chainName } from "../model/filter.js";
import type { FilterStop } from "./evaluate.js";

/** "rule handle 21 of ip filter DOCKER-ISOLATION-STAGE-2: oifname "labnet0" drop", or the chain's policy. */
export function describeStop(stop: FilterStop): string {
  if (!stop.rule) return `the policy drop of ${chainName(stop.chain)} (no rule accepted the packet)`;
  const handle = stop.rule.handle === undefined ? "" : `handle ${stop.rule.handle} `;
  return `rule ${handle}of ${stop.rule.family} ${stop.rule.table} ${stop.rule.chain}: ${stop.rule.text}`;
}

/** Whether a chain is iptables-nft's (iptables writes upper-case chain names into table ip filter), so a fix is best said with iptables. */
export function isIptablesChain(c: { family: string; table: string; chain?: string; name?: string }): boolean {
  const name = c.chain ?? c.name ?? "";
  return (c.family === "ip" || c.family === "ip6") && c.table === "filter" && name === name.toUpperCase();
}
