import { z } from "zod";
import type { Pod } from "../model/pod.js";
import { lazySchema } from "../model/lazy-schema.js";

/** The fields netatlas reads of a pod from the Kubernetes API (`GET /api/v1/pods`). */
export const KubePod = lazySchema(() =>
  z.object({
    metadata: z.object({ name: z.string(), namespace: z.string(), uid: z.string().optional() }),
    spec: z.object({ nodeName: z.string().optional(), hostNetwork: z.boolean().optional(), containers: z.array(z.object({ name: z.string() })).default([]) }),
    status: z
      .object({
        phase: z.string().optional(),
        podIP: z.string().optional(),
        podIPs: z.array(z.object({ ip: z.string() })).default([]),
        containerStatuses: z.array(z.object({ name: z.string(), ready: z.boolean().optional(), containerID: z.string().optional() })).default([]),
      })
      .default({ podIPs: [], containerStatuses: [] }),
  }),
);
export type KubePod = z.infer<typeof KubePod>;

const ipsOf = (p: KubePod) => new Set([p.status.podIP, ...p.status.podIPs.map((x) => x.ip)].filter((ip): ip is string => !!ip));

/**
 * Names the CNI cache's pods as the API server does, and adds what only it
 * knows: the phase and the containers by name with their readiness. A pod is
 * matched by its UID, else by its IP (host-network pods have no namespace of
 * their own and are not matched).
 */
export function nameFromKubernetes(pods: readonly Pod[], items: readonly unknown[]): { pods: Pod[]; warnings: string[] } {
  const warnings: string[] = [];
  const kube: KubePod[] = [];
  for (const item of items) {
    const parsed = KubePod.safeParse(item);
    if (parsed.success) kube.push(parsed.data);
    else warnings.push(`Kubernetes pod skipped: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  }
  const ownNetwork = kube.filter((k) => !k.spec.hostNetwork);
  const named = pods.map((pod) => {
    const match = ownNetwork.find((k) => pod.uid !== undefined && k.metadata.uid === pod.uid) ?? ownNetwork.find((k) => pod.ips.some((ip) => ipsOf(k).has(ip)));
    if (!match) return pod;
    const statuses = new Map(match.status.containerStatuses.map((s) => [s.name, s]));
    return {
      ...pod,
      namespace: match.metadata.namespace,
      name: match.metadata.name,
      uid: match.metadata.uid ?? pod.uid,
      kubernetes: {
        phase: match.status.phase,
        containers: match.spec.containers.map((c) => ({ name: c.name, ready: statuses.get(c.name)?.ready, id: statuses.get(c.name)?.containerID })),
      },
    };
  });
  return { pods: named, warnings };
}
