import { mapBounded } from "@netatlas/core";
import { access } from "node:fs/promises";
import type { IncomingMessage } from "node:http";

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

export interface DockerEngineRead {
  containers: unknown[];
  networks: unknown[];
}

/** The body of a response, whole. */
export function bodyOf(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
  });
}

/**
 * Reads containers and networks from the Docker Engine API over its unix socket,
 * each request bounded by a timeout (a hung dockerd must not hang the agent).
 * Returns null when there is no socket: no Docker on this node. Node's own HTTP
 * client speaks over a unix socket: nothing to load, nothing for a bundler to wrap.
 */
export async function readDockerEngine(socketPath = DEFAULT_DOCKER_SOCKET, timeoutMs = 3_000): Promise<DockerEngineRead | null> {
  if (!(await access(socketPath).then(() => true, () => false))) return null;
  // node:http is loaded only when there is a socket to ask: a node without Docker skips its start-up cost.
  const { Agent, get } = await import("node:http");
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  /** The answer as JSON; undefined for a 404 when `missingOk` (a container removed since it was listed). */
  const fetchJson = (path: string, missingOk = false): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const fail = (reason: string) => reject(new Error(`Docker API ${path} on ${socketPath}: ${reason}`));
      // The signal bounds the whole exchange, the body included: it destroys the request when it fires.
      const req = get({ socketPath, path, agent, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
        bodyOf(res).then((body) => {
          if (res.statusCode === 404 && missingOk) return resolve(undefined);
          if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            fail(`not JSON: ${(error as Error).message}`);
          }
        }, (error: Error) => fail(error.message));
      });
      req.on("error", (error: Error) => fail(error.name === "AbortError" ? `no answer within ${timeoutMs} ms` : error.message));
    });
  try {
    const ids = (list: unknown) => (Array.isArray(list) ? list.map((c) => String((c as { Id?: unknown }).Id)) : []);
    const [containerIds, networkIds] = await Promise.all([fetchJson("/containers/json?all=1").then(ids), fetchJson("/networks").then(ids)]);
    const [containers, networks] = await Promise.all([
      mapBounded(containerIds, 8, (id) => fetchJson(`/containers/${encodeURIComponent(id)}/json`, true)),
      mapBounded(networkIds, 8, (id) => fetchJson(`/networks/${encodeURIComponent(id)}`, true)),
    ]);
    const present = (items: unknown[]) => items.filter((item) => item !== undefined);
    return { containers: present(containers), networks: present(networks) };
  } finally {
    agent.destroy();
  }
}
