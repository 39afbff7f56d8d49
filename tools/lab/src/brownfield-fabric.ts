import { installFlannelIptables, wireFlannel, type FabricNode } from "./flannel.js";
import { wireHostGwManual } from "./host-gw-manual.js";
import type { LabState } from "./state.js";

/** The lab's nodes as a brownfield fabric sees them; each must have started. */
export function fabricNodes(state: LabState): FabricNode[] {
  return state.nodes.map((n) => {
    if (n.pid === undefined) throw new Error(`${n.name} did not start: its fabric cannot be wired`);
    return { name: n.name, pid: n.pid, underlayIp: n.underlayIp, podCidr: n.podCidr };
  });
}

/**
 * Wires the lab's brownfield fabric, or wires it again: what its daemon (or
 * admin) converges to, from the nodes as they are now. A second call repairs
 * what a fault changed in the fabric's own entries (a peer's MAC, a device's
 * VNI, a route's gateway); a route the fabric does not know stays.
 */
export async function wireBrownfieldFabric(state: LabState): Promise<void> {
  const nodes = fabricNodes(state);
  switch (state.fabric) {
    case "flannel":
      return wireFlannel(nodes);
    case "host-gw-manual":
      return wireHostGwManual(nodes);
    case "netatlas":
      throw new Error(`lab ${state.prefix} runs netatlas's fabric, which its agents keep (netatlas-agent plan/apply), not a brownfield one`);
  }
}

/** The first wiring, at `up`: on flannel, each node's flanneld also installs its iptables rules, once. */
export async function startBrownfieldFabric(state: LabState): Promise<void> {
  if (state.fabric === "flannel") await Promise.all(fabricNodes(state).map(installFlannelIptables));
  await wireBrownfieldFabric(state);
}
