import { run } from "@netatlas/linux";
import { inNodeNet } from "./enter.js";
import type { FabricNode } from "./flannel.js";
import { UNDERLAY } from "./plan-lab.js";

/**
 * The fabric an admin makes by hand on nodes that share a network: on every
 * node, `ip route add <peer's pod subnet> via <peer's underlay address>`, with
 * no protocol of its own (the kernel's default, boot). Safe to repeat.
 */
export async function wireHostGwManual(nodes: readonly FabricNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      for (const peer of nodes) {
        if (peer.name !== node.name) await run(inNodeNet(node.pid, ["ip", "route", "replace", peer.podCidr, "via", peer.underlayIp, "dev", UNDERLAY.dev]));
      }
    }),
  );
}
