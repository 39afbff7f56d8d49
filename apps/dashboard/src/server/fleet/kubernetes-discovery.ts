import { readFileSync } from "node:fs";
import { Agent, fetch } from "undici";
import { z } from "zod";
import type { AgentTarget } from "../agent-target";

const SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

const Endpoints = z.object({
  subsets: z
    .array(
      z.object({
        addresses: z.array(z.object({ ip: z.string(), nodeName: z.string().optional(), targetRef: z.object({ name: z.string() }).optional() })).default([]),
        ports: z.array(z.object({ name: z.string().optional(), port: z.number().int() })).default([]),
      }),
    )
    .default([]),
});

/** The agents behind the DaemonSet's Service: one per ready endpoint address, named by its node. */
export function targetsFromEndpoints(json: unknown, token: string | undefined): AgentTarget[] {
  const endpoints = Endpoints.parse(json);
  return endpoints.subsets.flatMap((subset) => {
    const port = subset.ports.find((p) => p.name === "api" || p.name === "http")?.port ?? subset.ports[0]?.port;
    if (!port) return [];
    return subset.addresses.map((a) => ({
      name: (a.nodeName ?? a.targetRef?.name ?? a.ip).replace(/[^A-Za-z0-9._-]/g, "-"),
      url: `http://${a.ip.includes(":") ? `[${a.ip}]` : a.ip}:${port}`,
      token,
      source: "kubernetes" as const,
    }));
  });
}

/** Reads the Service's Endpoints with the pod's service account (in-cluster only). */
export async function discoverAgents(namespace: string, service: string, token: string | undefined): Promise<AgentTarget[]> {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? "443";
  if (!host) throw new Error("NETATLAS_AGENT_SERVICE is set but KUBERNETES_SERVICE_HOST is not: agent discovery works only inside a cluster");
  const bearer = readFileSync(`${SERVICE_ACCOUNT}/token`, "utf8").trim();
  const ca = readFileSync(`${SERVICE_ACCOUNT}/ca.crt`, "utf8");
  const response = await fetch(`https://${host}:${port}/api/v1/namespaces/${namespace}/endpoints/${service}`, {
    headers: { authorization: `Bearer ${bearer}` },
    dispatcher: new Agent({ connect: { ca } }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`kubernetes: endpoints ${namespace}/${service}: HTTP ${response.status}; does the dashboard's ServiceAccount may get endpoints there?`);
  return targetsFromEndpoints(await response.json(), token);
}
