/** argv builders that run a command inside a lab node or one of its pods, as `docker exec` would. */

/** The node's mount, UTS, network and PID namespaces: its /run/netns, /proc, hostname and links. */
export function inNode(pid: number, argv: readonly string[]): string[] {
  return ["nsenter", "-t", String(pid), "-m", "-u", "-n", "-p", "--", ...argv];
}

/** Only the node's network namespace: enough for `ip`, `bridge`, `nft` and `sysctl net.*`. */
export function inNodeNet(pid: number, argv: readonly string[]): string[] {
  return ["nsenter", "-t", String(pid), "-n", "--", ...argv];
}

/** A pod's namespace, named in the node's own /run/netns. */
export function inPod(pid: number, netns: string, argv: readonly string[]): string[] {
  return inNode(pid, ["nsenter", `--net=/run/netns/${netns}`, "--", ...argv]);
}
