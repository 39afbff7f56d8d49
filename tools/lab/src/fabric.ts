import type { NodeIntent, Op } from "@netatlas/core";
import { orderOps } from "@netatlas/core";
import { renderOp, run } from "@netatlas/linux";
import { inNodeNet } from "./enter.js";

/**
 * The ops that give a node its share of the fleet's pod fabric, as netatlas's
 * own plan would: the VXLAN device with its neighbour and FDB entries, or the
 * routes to the peers' underlay addresses; and masquerade for pod traffic that
 * leaves the pod CIDR. The bridge is already there: the CNI plugin made it.
 */
export function fabricOps(intent: NodeIntent): Op[] {
  const reason = "lab";
  const ops: Op[] = [];
  if (intent.vxlan) {
    ops.push({ op: "add-vxlan", ...intent.vxlan, reason });
    ops.push({ op: "add-address", dev: intent.vxlan.name, cidr: intent.vxlan.address, reason });
    ops.push({ op: "set-up", name: intent.vxlan.name, reason });
  }
  for (const n of intent.neighbors) ops.push({ op: "replace-neigh", ...n, reason });
  for (const f of intent.fdb) ops.push({ op: "add-fdb", ...f, reason });
  for (const r of intent.routes) ops.push({ op: "replace-route", ...r, reason });
  if (intent.masquerade) ops.push({ op: "set-masquerade", source: intent.podCidr, reason });
  return orderOps(ops);
}

export async function applyFabric(nodePid: number, intent: NodeIntent): Promise<number> {
  const ops = fabricOps(intent);
  for (const op of ops) {
    for (const step of renderOp(op)) await run(inNodeNet(nodePid, step.argv), { input: step.input });
  }
  return ops.length;
}
