import { Agent, request } from "node:http";
import { dockerNetworkOptions, NETATLAS_DOCKER_LABEL, type Op } from "@netatlas/core";
import { bodyOf, DEFAULT_DOCKER_SOCKET } from "./docker-engine.js";

/** The ops that go to dockerd, not to the kernel. */
export type DockerOp = Extract<Op, { op: "docker-network-create" | "docker-network-remove" | "docker-network-replace" }>;

export const isDockerOp = (op: Op): op is DockerOp => op.op === "docker-network-create" || op.op === "docker-network-remove" || op.op === "docker-network-replace";

/**
 * One Engine API call over the unix socket with a JSON body: no CLI, no argv,
 * nothing a shell could read. Fails with dockerd's own message on a non-2xx answer.
 */
function call(socketPath: string, method: "GET" | "POST" | "DELETE", path: string, body: unknown, timeoutMs: number, agent: Agent): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => reject(new Error(`Docker API ${method} ${path} on ${socketPath}: ${reason}`));
    const headers = payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) };
    const req = request({ socketPath, method, path, headers, agent, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      bodyOf(res).then((text) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          let message = text.slice(0, 300);
          try {
            message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
          } catch {
            // not JSON: dockerd's plain-text answer is the message
          }
          return fail(`HTTP ${status}: ${message}`);
        }
        resolve(text ? (JSON.parse(text) as unknown) : undefined);
      }, (error: Error) => fail(error.message));
    });
    req.on("error", (error: Error) => fail(error.name === "AbortError" ? `no answer within ${timeoutMs} ms` : error.message));
    req.end(payload);
  });
}

type NetworkSettings = Extract<DockerOp, { op: "docker-network-create" }>;

/** `docker network create`: a bridge network with IPAM, every option spelled out, and netatlas's label. */
function createBody(n: NetworkSettings | Extract<DockerOp, { op: "docker-network-replace" }>) {
  return {
    Name: n.name,
    Driver: "bridge",
    CheckDuplicate: true,
    IPAM: { Driver: "default", Config: [{ Subnet: n.subnet, Gateway: n.gateway }] },
    Options: dockerNetworkOptions(n),
    Labels: { [NETATLAS_DOCKER_LABEL]: "true" },
  };
}

const networkPath = (id: string, action = "") => `/networks/${encodeURIComponent(id)}${action}`;

/**
 * Carries out one Docker op through the Engine API. A replace disconnects the
 * attached containers, makes the network again, and connects them back (they
 * get addresses of the new subnet); the caller lets it run only when allowed.
 */
export async function applyDockerOp(op: DockerOp, socketPath = DEFAULT_DOCKER_SOCKET, timeoutMs = 30_000): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (path: string, body: unknown) => call(socketPath, "POST", path, body, timeoutMs, agent);
  try {
    switch (op.op) {
      case "docker-network-remove":
        await call(socketPath, "DELETE", networkPath(op.id), undefined, timeoutMs, agent);
        return;
      case "docker-network-create":
        await post("/networks/create", createBody(op));
        return;
      case "docker-network-replace": {
        for (const c of op.containers) await post(networkPath(op.id, "/disconnect"), { Container: c.id, Force: true });
        await call(socketPath, "DELETE", networkPath(op.id), undefined, timeoutMs, agent);
        const created = (await post("/networks/create", createBody(op))) as { Id?: string };
        for (const c of op.containers) await post(networkPath(created.Id ?? op.name, "/connect"), { Container: c.id });
        return;
      }
    }
  } finally {
    agent.destroy();
  }
}

/** What became of one container that an interrupted replace had disconnected. */
export interface Reconnected {
  container: string;
  outcome: "connected" | "already-connected" | "failed";
  error?: string;
}

/**
 * Connects back to network `name` the containers a replace disconnected before
 * it was cut off (the agent's journal keeps them): the roll-forward makes the
 * network again, but only this puts its containers back on it. Containers that
 * are on it already are left alone; each failure is reported, not thrown.
 */
export async function reconnectContainers(name: string, containers: ReadonlyArray<{ id: string; name: string }>, socketPath = DEFAULT_DOCKER_SOCKET, timeoutMs = 30_000): Promise<Reconnected[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const network = (await call(socketPath, "GET", networkPath(name), undefined, timeoutMs, agent)) as { Containers?: Record<string, unknown> } | undefined;
    const attached = Object.keys(network?.Containers ?? {});
    const results: Reconnected[] = [];
    for (const c of containers) {
      if (attached.some((id) => id.startsWith(c.id) || c.id.startsWith(id))) {
        results.push({ container: c.name, outcome: "already-connected" });
        continue;
      }
      try {
        await call(socketPath, "POST", networkPath(name, "/connect"), { Container: c.id }, timeoutMs, agent);
        results.push({ container: c.name, outcome: "connected" });
      } catch (error) {
        results.push({ container: c.name, outcome: "failed", error: (error as Error).message });
      }
    }
    return results;
  } finally {
    agent.destroy();
  }
}
