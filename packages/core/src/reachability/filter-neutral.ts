import type { FilterRuleset } from "../model/filter.js";
import { cidrContains, cidrsOverlap, isIp, parseCidr, type Cidr } from "../net/cidr.js";

const isAddressOrPrefix = (v: string) => isIp(v.split("/")[0] ?? "") && (!v.includes("/") || /^\d+$/.test(v.split("/")[1] ?? ""));
const isMac = (v: string) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(v);

/**
 * Whether filter rules decide alike for every pair of a fleet: the fleet's
 * addresses fall into classes (every node's subnets, every node's underlay
 * addresses), and a rule treats pairs alike when each address it compares with
 * holds all of a class or none of it. kube-proxy's rules on service IPs and
 * flannel's on the whole cluster CIDR pass; a rule on one node's subnet does
 * not, nor a rule netatlas cannot read.
 */
export class FilterNeutrality {
  private readonly known = new Map<string, boolean>();
  private readonly classes: Cidr[][];

  constructor(classes: ReadonlyArray<readonly string[]>) {
    this.classes = classes.filter((c) => c.length > 0).map((c) => c.map((m) => parseCidr(m)));
  }

  private valueNeutral(value: string): boolean {
    let neutral = this.known.get(value);
    if (neutral === undefined) {
      neutral = value.split(" . ").every((part) => {
        if (!/[.:]/.test(part) || !/\d/.test(part)) return true;
        if (!isAddressOrPrefix(part)) return isMac(part);
        const range = parseCidr(part);
        return this.classes.every((members) => !members.some((m) => cidrsOverlap(range, m)) || members.every((m) => cidrContains(range, m)));
      });
      this.known.set(value, neutral);
    }
    return neutral;
  }

  of(filter: FilterRuleset | undefined): boolean {
    return !filter || filter.rules.every((rule) => !rule.opaque && rule.matches.every((m) => !m.field.includes("addr") || m.field.startsWith("ether") || m.values.every((v) => this.valueNeutral(v))));
  }
}
