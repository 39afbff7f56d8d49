import type { FabricContext } from "../../../fabric/delivery/fabric-context.js";
import type { Finding } from "../../../model/finding.js";
import { podKey } from "../../../model/pod.js";

/** One subnet claimed by two nodes (a subnet that moved while the old node kept its bridge): packets for it reach only one of them. */
function subnetsOwnedTwice(ctx: FabricContext): Finding[] {
  return ctx.owned.contested.map(({ a, b }) => ({
    code: "subnet-owned-twice",
    severity: "error" as const,
    message: `${a.label} and ${b.label} overlap: an address there names a pod or container on either node, so the fleet cannot route to it`,
    hint: `Give each node a subnet of its own: the node that should no longer have ${a.cidr === b.cidr ? a.cidr : `${a.cidr} or ${b.cidr}`} still carries it (its bridge address or its pods), and its pods must move.`,
    subjects: [`${a.node}/host`, `${b.node}/host`, a.cidr, b.cidr],
  }));
}

/** One address held by live pods on two nodes: a packet for it reaches only one of them. */
function podIpsDuplicated(ctx: FabricContext): Finding[] {
  const holders = new Map<string, string[]>();
  for (const node of ctx.nodes.values()) {
    for (const pod of node.index.snapshot.pods) {
      if (!pod.sandbox.alive) continue;
      for (const ip of pod.ips) holders.set(ip, [...(holders.get(ip) ?? []), `${node.name}/pod/${podKey(pod)}`]);
    }
  }
  return [...holders].flatMap(([ip, pods]): Finding[] => {
    const nodes = new Set(pods.map((p) => p.split("/")[0]));
    if (nodes.size < 2) return [];
    return [{ code: "pod-ip-duplicate", severity: "error", message: `${ip} is held by ${pods.length} live pods on ${nodes.size} nodes (${pods.join(", ")}): a packet for it reaches only one of them`, hint: "Each node's IPAM must hand out addresses of its own subnet only; delete the pod that has another node's address so it gets a new one.", subjects: [ip, ...pods] }];
  });
}

/** With a spec: a node whose state shows pod subnets the spec does not give it. */
function outsideSpec(ctx: FabricContext): Finding[] {
  return ctx.fabric.nodes.flatMap((n) =>
    n.outsideSpec.map((s) => ({
      code: "fabric-spec-mismatch",
      severity: "warning" as const,
      message: `${n.node} has pods on ${s.cidr} (${s.evidence}), but the fleet spec gives it ${n.podSubnets.map((p) => p.cidr).join(", ")}`,
      hint: `The spec's allocation is what the other nodes are routed to: pods on ${s.cidr} are not reached. Move ${n.node}'s pod range (its CNI configuration) to the spec's subnet.`,
      subjects: [`${n.node}/host`, s.cidr, ...n.podSubnets.map((p) => p.cidr)],
    })),
  );
}

export function subnetOwnershipFindings(ctx: FabricContext): Finding[] {
  return [...subnetsOwnedTwice(ctx), ...podIpsDuplicated(ctx), ...outsideSpec(ctx)];
}
