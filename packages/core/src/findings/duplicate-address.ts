import type { Address } from "../model/address.js";
import type { Finding } from "../model/finding.js";
import type { SnapshotView } from "./context.js";

/** The same global address on two interfaces: replies go to whichever answers ARP first. */
export function duplicateAddresses(view: SnapshotView): Finding[] {
  const byAddress = new Map<string, Address[]>();
  for (const a of view.snapshot.addresses) {
    if (a.scope !== "global") continue;
    const list = byAddress.get(a.address) ?? [];
    list.push(a);
    byAddress.set(a.address, list);
  }
  const findings: Finding[] = [];
  for (const [address, holders] of byAddress) {
    if (holders.length < 2) continue;
    findings.push({
      code: "duplicate-address",
      severity: "error",
      message: `${address} is assigned ${holders.length} times: ${holders.map((h) => view.where(h.netns, h.ifname)).join(", ")}`,
      hint: "Each address needs one owner; check the IPAM that handed it out twice.",
      subjects: [address, ...holders.map((h) => view.where(h.netns, h.ifname))],
    });
  }
  return findings;
}
