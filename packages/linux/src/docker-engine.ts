import { access } from "node:fs/promises";
import { mapBounded } from "./bounded.js";

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

export interface DockerEngineRead {
  containers: unknown[];
  networks: unknown[];
}

/**
 * Reads containers and networks from the Docker Engine API over its unix socket,
 * each request bounded by a timeout (a hung dockerd must not hang the agent).
 * Returns null when there is no socket: no Docker on this node.
 */
export async function readDockerEngine(socketPath = DEFAULT_DOCKER_SOCKET, timeoutMs = 3_000): Promise<DockerEngineRead | null> {
  if (!(await access(socketPath).then(() => true, () => false))) return null;
  // undici costs ~0.1 s to load: only a node with Docker pays it.
  const { Agent, request } = await import("undici");
  const dispatcher = new Agent({ connect: { socketPath }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const get = async (path: string): Promise<unknown> => {
    const res = await request(`http://docker${path}`, { dispatcher, signal: AbortSignal.timeout(timeoutMs) }).catch((error: Error) => {
      throw new Error(`Docker API ${path} on ${socketPath}: ${error.message}`);
    });
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`Docker API ${path} on ${socketPath}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
    return JSON.parse(body);
  };
  try {
    const ids = (list: unknown) => (Array.isArray(list) ? list.map((c) => String((c as { Id?: unknown }).Id)) : []);
    const [containerIds, networkIds] = await Promise.all([get("/containers/json?all=1").then(ids), get("/networks").then(ids)]);
    const [containers, networks] = await Promise.all([
      mapBounded(containerIds, 8, (id) => get(`/containers/${encodeURIComponent(id)}/json`)),
      mapBounded(networkIds, 8, (id) => get(`/networks/${encodeURIComponent(id)}`)),
    ]);
    return { containers, networks };
  } finally {
    await dispatcher.close();
  }
}
