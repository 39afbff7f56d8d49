import type { ReachabilityEndpoint } from "../model/reachability.js";
import { podKey } from "../model/pod.js";
import type { NodeSnapshot } from "../model/snapshot.js";

/**
 * The endpoint that stands for a node: a running pod (its sandbox holder alive,
 * a process in its namespace, an address), else a running Docker container with
 * an IPv4 address, the first by name; undefined on a node with neither.
 */
export function endpointOf(snapshot: NodeSnapshot): ReachabilityEndpoint | undefined {
  const lived = new Set(snapshot.namespaces.filter((n) => n.processes.length > 0).map((n) => n.id));
  const pods = snapshot.pods
    .filter((p) => p.sandbox.alive && p.netns !== undefined && lived.has(p.netns) && p.ips.length > 0)
    .sort((a, b) => podKey(a).localeCompare(podKey(b)));
  const pod = pods[0];
  if (pod) return { node: snapshot.node, kind: "pod", name: podKey(pod), netns: pod.netns!, ip: pod.ips.find((ip) => !ip.includes(":")) ?? pod.ips[0]! };
  const containers = snapshot.containers
    .flatMap((c) => {
      const ip = c.endpoints.find((e) => e.ipv4)?.ipv4;
      return c.runtime === "docker" && c.state === "running" && c.netns !== undefined && c.pid && ip ? [{ c, ip, netns: c.netns }] : [];
    })
    .sort((a, b) => a.c.name.localeCompare(b.c.name));
  const container = containers[0];
  return container && { node: snapshot.node, kind: "container", name: container.c.name, netns: container.netns, ip: container.ip };
}
