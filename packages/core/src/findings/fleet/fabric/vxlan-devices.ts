import type { FabricContext, FabricNode } from "../../../fabric/delivery/fabric-context.js";
import { on } from "../../../fabric/delivery/repair-commands.js";
import type { Finding } from "../../../model/finding.js";

/** "node1, node3 and 4 more": a few names of a long list. */
export function someOf(names: readonly string[]): string {
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}

/** The nodes whose routes send `to`'s subnets into their VXLAN device. */
function vxlanSenders(ctx: FabricContext, to: FabricNode): string[] {
  const mine = ctx.owned.all.filter((s) => s.node === to.name);
  return [...ctx.nodes.values()].filter((from) => from !== to && mine.some((s) => ctx.requires(from, s) && ctx.deliveryOf(from, s).way === "vxlan")).map((n) => n.name);
}

/** The value most nodes have (the spec's, when it says), and one node that has it. */
function agreed(members: readonly FabricNode[], value: (n: FabricNode) => number | undefined, specValue: number | undefined): number | undefined {
  if (specValue !== undefined) return specValue;
  const counts = new Map<number, number>();
  for (const n of members) {
    const v = value(n);
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function mismatches(ctx: FabricContext, members: readonly FabricNode[], what: "VNI" | "UDP port"): Finding[] {
  const backend = ctx.spec?.backend?.type === "vxlan" ? ctx.spec.backend : undefined;
  const value = (n: FabricNode) => (what === "VNI" ? n.vxlan?.vni : n.vxlan?.port);
  const expected = agreed(members, value, what === "VNI" ? backend?.vni : backend?.port);
  if (expected === undefined) return [];
  const agreeing = members.filter((n) => value(n) === expected).map((n) => n.name);
  const by = backend ? "the fleet spec" : agreeing.length ? someOf(agreeing) : "the other nodes";
  return members.flatMap((n): Finding[] => {
    const own = value(n);
    if (own === undefined || own === expected || !n.vxlan) return [];
    return [
      {
        code: what === "VNI" ? "vxlan-vni-mismatch" : "vxlan-port-mismatch",
        severity: "error",
        message: `${n.name}'s ${n.vxlan.dev} uses ${what} ${own}, but ${by} use${backend || agreeing.length === 1 ? "s" : ""} ${expected}: VXLAN packets between ${n.name} and them find no device on the other side and are dropped`,
        hint: `A VXLAN device's ${what} cannot be changed in place: set ${what} ${expected} in the configuration of what made ${n.vxlan.dev} on ${n.name} (flannel: ${what === "VNI" ? "Backend.VNI" : "Backend.Port"} in net-conf.json) and let it re-create the device.`,
        // Every node that agrees loses its packets to and from this one: each pair's finding names both.
        subjects: [`${n.name}/host/${n.vxlan.dev}`, ...agreeing.map((a) => `${a}/host/${ctx.nodes.get(a)?.vxlan?.dev ?? ""}`)],
      },
    ];
  });
}

/**
 * The VXLAN devices of the fabric agree on VNI and UDP port (a packet is taken
 * only by a device with both), and are up: a device that is down takes none of
 * the other nodes' packets, and sends none.
 */
export function vxlanDeviceFindings(ctx: FabricContext): Finding[] {
  const members = [...ctx.nodes.values()].filter((n) => n.vxlan && (n.fabric.backend === "vxlan" || n.fabric.backend === "mixed" || vxlanSenders(ctx, n).length > 0));
  const down = members.flatMap((n): Finding[] => {
    if (!n.vxlan || n.vxlan.up) return [];
    const senders = vxlanSenders(ctx, n);
    return [
      {
        code: "vxlan-device-down",
        severity: "critical",
        message: `${n.name}'s VXLAN device ${n.vxlan.dev} is down (flags ${n.vxlanLink?.flags.join(",") ?? "?"}): ${senders.length ? `${someOf(senders)} send${senders.length === 1 ? "s" : ""} ${n.name}'s pods' packets to it, and they are dropped` : `${n.name}'s pods are cut off from the other nodes`}`,
        fix: on(n.name, `ip link set ${n.vxlan.dev} up`),
        subjects: [`${n.name}/host/${n.vxlan.dev}`, ...senders.map((s) => `${s}/host`)],
      },
    ];
  });
  return [...down, ...mismatches(ctx, members, "VNI"), ...mismatches(ctx, members, "UDP port")];
}
