import { ipFamily, isIp, podKey, type NodeSnapshot, type TraceSource } from "@netatlas/core";

/** Something a trace can start from or go to, as a person names it in the Trace form. */
export interface TraceEndpoint {
  /** What the form shows and accepts back: "pod default/web-1", "container web", "netns node1/cz-p1". */
  key: string;
  kind: "pod" | "container" | "netns";
  node: string;
  ips: string[];
  /** The words a search matches: pod and container names, the pod's namespace, namespace names, IPs. */
  terms: string[];
  source: TraceSource;
}

export type EndpointChoice = { ok: true; source: TraceSource; ip?: string; endpoint?: TraceEndpoint } | { ok: false; message: string };

/** Every pod, container and named namespace of the fleet's newest snapshots. */
export function traceEndpoints(snapshots: readonly NodeSnapshot[]): TraceEndpoint[] {
  return snapshots.flatMap((s) => [
    ...s.pods.map((p): TraceEndpoint => ({ key: `pod ${podKey(p)}`, kind: "pod", node: s.node, ips: p.ips, terms: [p.name, p.namespace, podKey(p), ...p.containers.map((c) => c.name), ...p.ips], source: { pod: podKey(p) } })),
    ...s.containers
      .filter((c) => c.runtime === "docker")
      .map((c): TraceEndpoint => {
        const ips = c.endpoints.flatMap((e) => (e.ipv4 ? [e.ipv4] : []));
        return { key: `container ${c.name}`, kind: "container", node: s.node, ips, terms: [c.name, ...ips], source: { container: c.name } };
      }),
    ...s.namespaces
      .filter((n) => n.kind !== "host" && n.names.length > 0)
      .map((n): TraceEndpoint => ({ key: `netns ${s.node}/${n.names[0]}`, kind: "netns", node: s.node, ips: [], terms: n.names, source: { netns: { node: s.node, id: n.id } } })),
  ]);
}

/** The endpoints whose name, namespace or IP contains the query (case-insensitive), for the form's suggestions. */
export function findEndpoints(endpoints: readonly TraceEndpoint[], query: string): TraceEndpoint[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...endpoints];
  return endpoints.filter((e) => e.key.toLowerCase().includes(q) || e.terms.some((t) => t.toLowerCase().includes(q)));
}

/**
 * What the person meant by `text`: a suggestion's key, a name or IP that exactly
 * one endpoint has, or else any IP address (the trace finds its owner or says it
 * left the fleet).
 */
export function resolveEndpoint(endpoints: readonly TraceEndpoint[], text: string): EndpointChoice {
  const wanted = text.trim();
  const byKey = endpoints.find((e) => e.key === wanted);
  const exact = byKey ? [byKey] : endpoints.filter((e) => e.terms.includes(wanted));
  if (exact.length === 1) {
    const endpoint = exact[0] as TraceEndpoint;
    return { ok: true, source: endpoint.source, ip: endpoint.ips.find((ip) => ipFamily(ip) === 4) ?? endpoint.ips[0], endpoint };
  }
  if (isIp(wanted)) return { ok: true, source: { ip: wanted }, ip: wanted };
  if (exact.length > 1) return { ok: false, message: `"${wanted}" names ${exact.length} endpoints (${exact.map((e) => e.key).join(", ")}); pick one from the list` };
  const near = findEndpoints(endpoints, wanted).slice(0, 3).map((e) => e.key);
  return { ok: false, message: `no pod, container, namespace or IP is "${wanted}"${near.length ? `; did you mean ${near.join(", ")}?` : ""}` };
}
