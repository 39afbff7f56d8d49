import { run } from "@netatlas/linux";
import { dockerIn } from "./docker-daemon.js";
import { LAB_IMAGE } from "./docker-image.js";
import { POD_HTTP_PORT } from "./plan-lab.js";
import type { DockerContainerState, DockerState } from "./state.js";

/** A user-defined bridge network, with the options `docker network inspect` then shows. */
export const LAB_DOCKER_NETWORK = { name: "labnet", subnet: "172.30.0.0/24", bridge: "labnet0", mtu: 1450 };

const FOREVER = ["sleep", "2147483647"];

async function runContainer(nodePid: number, name: string, network: string, command: string[]): Promise<DockerContainerState> {
  const out = await run(dockerIn(nodePid, ["run", "--detach", "--name", name, "--network", network, LAB_IMAGE, ...command]), { timeoutMs: 30_000 });
  return { name, id: out.stdout.trim(), network };
}

/**
 * The pod pattern done with Docker, as dockershim did it: a pause container on
 * a user-defined bridge network holds the namespace; an HTTP server and a client
 * join it with `--network container:`, so the client reaches the server on
 * 127.0.0.1. Plus one container on the default bridge, docker0.
 */
export async function runDockerPod(nodePid: number, nodeName: string, onStep: (c: DockerContainerState) => void): Promise<Pick<DockerState, "networks" | "containers">> {
  const net = LAB_DOCKER_NETWORK;
  await run(
    dockerIn(nodePid, ["network", "create", "--driver", "bridge", "--subnet", net.subnet, "--opt", `com.docker.network.bridge.name=${net.bridge}`, "--opt", `com.docker.network.driver.mtu=${net.mtu}`, net.name]),
    { timeoutMs: 30_000 },
  );
  const pause = await runContainer(nodePid, `${nodeName}-pause`, net.name, FOREVER);
  onStep(pause);
  const joined = `container:${pause.name}`;
  const others = await Promise.all([
    runContainer(nodePid, `${nodeName}-web`, joined, ["httpd", "-f", "-p", String(POD_HTTP_PORT), "-h", "/www"]),
    runContainer(nodePid, `${nodeName}-client`, joined, FOREVER),
    runContainer(nodePid, `${nodeName}-solo`, "bridge", FOREVER),
  ]);
  others.forEach(onStep);
  return { networks: [net], containers: [pause, ...others] };
}
