import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { run } from "@netatlas/linux";
import { inNode } from "./enter.js";
import { descendantWithComm, isAlive, marker, spawnDetached } from "./processes.js";

/** Debian's docker.io CLI (20.10, like its dockerd); a newer docker in /usr/local/bin would come first in PATH. */
export const DOCKER_CLI = "/usr/bin/docker";
const DOCKERD = "/usr/sbin/dockerd";
/** Where the node's agent looks by default: on Debian /var/run is /run, private to each node. */
export const NODE_DOCKER_SOCKET = "/var/run/docker.sock";
/** docker0's address and subnet. */
export const DOCKER0 = "172.17.0.1/16";

export interface DockerdLaunch {
  prefix: string;
  nodeName: string;
  nodePid: number;
  nodeDir: string;
}

export interface StartedDockerd {
  pid: number;
  dataRoot: string;
  log: string;
}

/**
 * Starts dockerd inside the node: its socket, exec root (containerd's state and
 * sockets, the containers' netns files) and pidfile on the node's private /run;
 * its data root in the lab's run directory; vfs storage, which works on any
 * filesystem; iptables rules in the node's own network namespace. It manages its
 * own containerd and ends with the node's PID namespace.
 */
export async function startDockerd(launch: DockerdLaunch): Promise<StartedDockerd> {
  const dataRoot = join(launch.nodeDir, "docker");
  const log = join(launch.nodeDir, "dockerd.log");
  // dockerd 20.10 writes a trust key to /etc/docker/key.json, the host's /etc, unless told where.
  const config = join(launch.nodeDir, "daemon.json");
  writeFileSync(config, `${JSON.stringify({ "deprecated-key-path": join(dataRoot, "key.json") })}\n`);
  const argv = [
    DOCKERD,
    "--host",
    `unix://${NODE_DOCKER_SOCKET}`,
    "--data-root",
    dataRoot,
    // Docker's own spelling of it: containers' SandboxKey then names the path the agent lists.
    "--exec-root",
    "/var/run/docker",
    "--pidfile",
    "/run/docker.pid",
    "--config-file",
    config,
    "--storage-driver",
    "vfs",
    "--iptables=true",
    "--bip",
    DOCKER0,
    // Relative: below the cgroup dockerd runs in; `down` removes what is left.
    "--cgroup-parent",
    dockerCgroupParent(launch.prefix, launch.nodeName),
    "--label",
    marker(launch.prefix, `${launch.nodeName}/dockerd`),
  ];
  const env = { ...process.env, PATH: "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin" };
  const spawned = spawnDetached(inNode(launch.nodePid, argv), log, env);
  return { pid: await descendantWithComm(spawned, "dockerd"), dataRoot, log };
}

/** The cgroup (in every hierarchy) that holds a Docker node's containers. */
export const dockerCgroupParent = (prefix: string, nodeName: string) => `netatlas-lab-${prefix}-${nodeName}`;

/** `docker ARGS` inside the node, against its dockerd. */
export const dockerIn = (nodePid: number, args: readonly string[]) => inNode(nodePid, [DOCKER_CLI, ...args]);

/** Waits until dockerd answers on its socket; says why not with the end of its log. */
export async function waitForDockerd(nodePid: number, dockerd: StartedDockerd, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline && isAlive(dockerd.pid)) {
    try {
      return (await run(dockerIn(nodePid, ["version", "--format", "{{.Server.Version}}"]), { timeoutMs: 5_000 })).stdout.trim();
    } catch (error) {
      last = (error as Error).message;
      await sleep(100);
    }
  }
  const tail = readFileSync(dockerd.log, "utf8").trim().split("\n").slice(-5).join("\n");
  throw new Error(`dockerd (pid ${dockerd.pid}) did not answer on ${NODE_DOCKER_SOCKET} ${isAlive(dockerd.pid) ? `within ${timeoutMs} ms` : "(it exited)"}: ${last}; its log ends:\n${tail}`);
}
