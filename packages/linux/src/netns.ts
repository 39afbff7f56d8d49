import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import type { FoundNetns } from "@netatlas/core";

export interface NetnsDiscoveryOptions {
  /** Where `ip netns` keeps its bind mounts. */
  netnsDir?: string;
  /** Where dockerd keeps its sandboxes' namespaces (its exec root's netns/). */
  dockerNetnsDir?: string;
  procDir?: string;
}

/** A namespace found on the node (core's assembleSnapshot judges what it is), with a file through which it can be entered. */
export type DiscoveredNetns = FoundNetns & {
  /** A path to open for setns: a bind mount if there is one, else /proc/PID/ns/net. */
  enterPath: string;
};

export const DEFAULT_NETNS_DIR = "/var/run/netns";
export const DEFAULT_DOCKER_NETNS_DIR = "/var/run/docker/netns";

/** `net:[4026531840]` -> 4026531840 */
function inodeOfLink(target: string): number | undefined {
  const m = /^net:\[(\d+)\]$/.exec(target);
  return m ? Number(m[1]) : undefined;
}

// Discovery reads /proc and nsfs metadata synchronously: these are in-memory files whose
// reads take microseconds, while a promise round trip through the thread pool costs tens of
// them, and a node of a hundred pods has hundreds of such reads (boundNamespaces' were in series).
function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new Error(`cannot list ${dir}: ${(error as Error).message}`);
  }
}

/**
 * Bind-mounted namespace files in a directory, keyed by inode. A leftover file whose
 * mount is gone is a plain file on the directory's own filesystem, not on nsfs: skipped.
 */
function boundNamespaces(dir: string, nsfsDevice: number): Array<{ inode: number; name: string; path: string }> {
  const found = [];
  for (const name of listDir(dir)) {
    const path = join(dir, name);
    try {
      const s = statSync(path);
      if (s.dev === nsfsDevice) found.push({ inode: s.ino, name, path });
    } catch {
      // Gone between readdir and stat: a namespace deleted while we looked.
    }
  }
  return found;
}

interface ProcessNs {
  inode: number;
  pid: number;
  comm: string;
}

function processNamespaces(procDir: string): ProcessNs[] {
  const pids = listDir(procDir).filter((d) => /^\d+$/.test(d));
  const found = pids.map((pid): ProcessNs | undefined => {
    try {
      const inode = inodeOfLink(readlinkSync(join(procDir, pid, "ns/net")));
      if (inode === undefined) return undefined;
      const comm = readFileSync(join(procDir, pid, "comm"), "utf8").trim();
      return { inode, pid: Number(pid), comm };
    } catch {
      return undefined; // a kernel thread (no ns link readable) or a process that exited
    }
  });
  return found.filter((p): p is ProcessNs => p !== undefined);
}

/** PID 1's namespace is the node's; where PID 1 is out of reach (a sandbox), ours is the best guess. */
function hostNamespacePath(procDir: string): { path: string; target: string } {
  for (const path of [join(procDir, "1/ns/net"), join(procDir, "self/ns/net")]) {
    try {
      return { path, target: readlinkSync(path) };
    } catch {
      // PID 1 out of reach: try our own.
    }
  }
  throw new Error(`cannot read ${procDir}/1/ns/net or ${procDir}/self/ns/net; is ${procDir} mounted?`);
}

/**
 * Finds every network namespace of the node and keys it by inode: the ones bound
 * under the netns directories and the ones only held by processes. The host
 * namespace is PID 1's, so inside a lab node (its own PID namespace) it is the node's.
 */
export async function discoverNamespaces(options: NetnsDiscoveryOptions = {}): Promise<DiscoveredNetns[]> {
  const procDir = options.procDir ?? "/proc";
  const nsfsDevice = statSync("/proc/self/ns/net").dev;
  const named = boundNamespaces(options.netnsDir ?? DEFAULT_NETNS_DIR, nsfsDevice);
  const docker = boundNamespaces(options.dockerNetnsDir ?? DEFAULT_DOCKER_NETNS_DIR, nsfsDevice);
  const processes = processNamespaces(procDir);
  const hostLink = hostNamespacePath(procDir);
  const hostInode = inodeOfLink(hostLink.target);
  const byInode = new Map<number, { names: string[]; paths: string[]; docker: boolean; processes: ProcessNs[] }>();
  const entry = (inode: number) => {
    let e = byInode.get(inode);
    if (!e) byInode.set(inode, (e = { names: [], paths: [], docker: false, processes: [] }));
    return e;
  };
  for (const n of named) {
    const e = entry(n.inode);
    e.names.push(n.name);
    e.paths.push(n.path);
  }
  for (const n of docker) {
    const e = entry(n.inode);
    e.names.push(n.name);
    e.paths.push(n.path);
    e.docker = true;
  }
  for (const p of processes) entry(p.inode).processes.push(p);
  if (hostInode !== undefined) entry(hostInode);

  return [...byInode.entries()].map(([inode, e]) => {
    const host = inode === hostInode;
    const firstPid = e.processes[0]?.pid;
    return {
      id: inode,
      names: host ? ["host", ...e.names] : e.names,
      paths: e.paths,
      processes: e.processes.map(({ pid, comm }) => ({ pid, comm })).sort((a, b) => a.pid - b.pid),
      host,
      dockerSandbox: e.docker,
      enterPath: host ? hostLink.path : (e.paths[0] ?? join(procDir, String(firstPid), "ns/net")),
    };
  });
}
