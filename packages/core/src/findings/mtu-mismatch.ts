import type { Finding } from "../model/finding.js";
import { VXLAN_OVERHEAD } from "../fabric/fleet-spec.js";
import type { SnapshotView } from "./context.js";

/**
 * MTUs that lose packets: a VXLAN device whose frames plus the 50-byte
 * encapsulation do not fit its underlay device (large packets vanish without an
 * error), and a pod's veth larger than the bridge it hangs on (or its own peer).
 */
export function mtuMismatches(view: SnapshotView): Finding[] {
  const findings: Finding[] = [];
  for (const link of view.snapshot.links) {
    if (link.kind === "vxlan" && link.vxlan?.device) {
      const lower = view.links.named(link.netns, link.vxlan.device);
      if (lower && link.mtu + VXLAN_OVERHEAD > lower.mtu) {
        findings.push({
          code: "mtu-mismatch",
          severity: "warning",
          message: `VXLAN ${link.name} in ${view.where(link.netns)} has MTU ${link.mtu}, but ${lower.name} carries ${lower.mtu}: packets over ${lower.mtu - VXLAN_OVERHEAD} bytes are dropped after encapsulation`,
          hint: `ip link set ${link.name} mtu ${lower.mtu - VXLAN_OVERHEAD}`,
          subjects: [view.where(link.netns, link.name)],
        });
      }
    }
    if (link.kind === "veth") {
      const peer = view.links.peerOf(link);
      const bridge = peer && view.links.masterOf(peer);
      if (bridge && link.mtu > bridge.mtu) {
        findings.push({
          code: "mtu-mismatch",
          severity: "warning",
          message: `${link.name} in ${view.where(link.netns)} has MTU ${link.mtu}, above its bridge ${bridge.name} (${bridge.mtu}): larger packets from it are dropped`,
          hint: `ip link set ${link.name} mtu ${bridge.mtu}`,
          subjects: [view.where(link.netns, link.name)],
        });
      }
    }
  }
  return findings;
}
