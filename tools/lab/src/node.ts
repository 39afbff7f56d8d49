import { mkdirSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { run } from "@netatlas/linux";
import { inNode, inNodeNet } from "./enter.js";
import { labBin } from "./paths.js";
import { UNDERLAY } from "./plan-lab.js";
import { descendantWithComm, marker, spawnDetached } from "./processes.js";

/**
 * Where a node keeps its own state: a tmpfs in its private mount namespace over
 * each of these, so `ip netns add`, the CNI plugins, dockerd (its socket
 * /var/run/docker.sock, i.e. /run/docker.sock) and the agent's default paths see
 * only this node. The directories exist on the host already or are created as
 * empty mount points; nothing is written to them outside the node.
 */
const PRIVATE_DIRS = ["/run", "/var/lib/cni"];
/** An empty directory of the host, used in the node's mount namespace to hold a mount while its parent is covered. */
const ASIDE = "/mnt";

export interface StartedNode {
  unsharePid: number;
  pid: number;
}

/** A node as kind makes one: its own network, mount, UTS and PID namespaces, held by a pause init. */
export async function startNode(prefix: string, name: string, logFile: string): Promise<StartedNode> {
  for (const dir of [...PRIVATE_DIRS, ASIDE]) mkdirSync(dir, { recursive: true });
  const argv = ["unshare", "--net", "--pid", "--mount", "--uts", "--fork", "--mount-proc", "--propagation", "private", "--", labBin("pause"), marker(prefix, name)];
  const unsharePid = spawnDetached(argv, logFile);
  const pid = await descendantWithComm(unsharePid, "pause");
  return { unsharePid, pid };
}

function isWithin(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Mounts a fresh `fstype` over `target` in the node, keeping `keep` (a path below
 * `target`) as it was: bound aside first, then moved back on top of the new mount.
 */
async function coverKeeping(pid: number, name: string, fstype: string, target: string, keep?: string): Promise<void> {
  const mount = (...args: string[]) => run(inNode(pid, ["mount", ...args]));
  if (keep) await mount("--rbind", keep, ASIDE);
  await mount("-t", fstype, "-o", fstype === "tmpfs" ? "mode=0755" : "rw", `netatlas-lab-${name}`, target);
  if (keep) {
    await run(inNode(pid, ["mkdir", "-p", keep]));
    await mount("--move", ASIDE, keep);
  }
}

/** Private dirs, hostname, loopback and forwarding: a node that can route for its pods. */
export async function prepareNode(pid: number, name: string, runDir: string): Promise<void> {
  // The lab's run directory (agent sockets, logs, Docker's data root) stays shared with the host.
  for (const dir of PRIVATE_DIRS) await coverKeeping(pid, name, "tmpfs", dir, isWithin(runDir, dir) ? runDir : undefined);
  await run(inNode(pid, ["mkdir", "-p", "/run/netns"]));
  // sysfs shows the network devices of the namespace that mounts it: the node's own.
  // The cgroup hierarchies under it stay: dockerd and runc need them.
  await coverKeeping(pid, name, "sysfs", "/sys", "/sys/fs/cgroup");
  await run(inNode(pid, ["hostname", name]));
  await run(inNodeNet(pid, ["ip", "link", "set", "lo", "up"]));
  await run(inNodeNet(pid, ["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]));
}

/** The underlay: one namespace with a bridge that every node's eth0 hangs on. */
export async function createUnderlay(netns: string): Promise<void> {
  await run(["ip", "netns", "add", netns]);
  const ip = (...args: string[]) => run(["ip", "-n", netns, ...args]);
  await ip("link", "set", "lo", "up");
  await ip("link", "add", "br0", "type", "bridge");
  await ip("addr", "add", `${UNDERLAY.gateway}/${UNDERLAY.prefixLength}`, "dev", "br0");
  await ip("link", "set", "br0", "up");
}

/** Joins a node to the underlay: `eth0` in the node, its peer (named after the node) on the underlay bridge. */
export async function attachNode(underlayNetns: string, pid: number, name: string, underlayIp: string): Promise<void> {
  await run(["ip", "-n", underlayNetns, "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", String(pid)]);
  await run(["ip", "-n", underlayNetns, "link", "set", name, "master", "br0", "up"]);
  const ip = (...args: string[]) => run(inNodeNet(pid, ["ip", ...args]));
  await ip("addr", "add", `${underlayIp}/${UNDERLAY.prefixLength}`, "dev", "eth0");
  await ip("link", "set", "eth0", "up");
  await ip("route", "add", "default", "via", UNDERLAY.gateway, "dev", "eth0");
}
