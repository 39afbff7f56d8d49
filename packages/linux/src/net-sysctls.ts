import type { NetnsSysctls, RpFilter, RpFilterMode } from "@netatlas/core";

const RP_FILTER = /^rp_filter\/(\S+) ([012])$/;
const BRIDGE_NF = /^(bridge-nf-call-iptables|bridge-nf-call-ip6tables) ([01])$/;

/**
 * The sysctls that decide what netfilter sees of a packet, from "rp_filter/<conf> <value>"
 * and "bridge-nf-call-ip(6)tables <value>" lines (what the netlink addon returns; the
 * iproute2 reader's grep output is turned into them). rp_filter needs `all` and
 * `default`; the bridge settings are absent without br_netfilter.
 */
export function parseNetSysctls(lines: string): NetnsSysctls {
  const rp = new Map<string, RpFilterMode>();
  const sysctls: NetnsSysctls = {};
  for (const line of lines.split("\n")) {
    const r = RP_FILTER.exec(line.trim());
    if (r?.[1] && r[2]) rp.set(r[1], Number(r[2]) as RpFilterMode);
    const b = BRIDGE_NF.exec(line.trim());
    if (b?.[1] === "bridge-nf-call-iptables") sysctls.bridgeNfCallIptables = b[2] === "1";
    if (b?.[1] === "bridge-nf-call-ip6tables") sysctls.bridgeNfCallIp6tables = b[2] === "1";
  }
  const all = rp.get("all");
  const fallback = rp.get("default");
  if (all !== undefined && fallback !== undefined) {
    const interfaces: RpFilter["interfaces"] = {};
    // In name order, whatever order the directory lists them in: an unchanged namespace reads the same.
    for (const [conf, mode] of [...rp].sort(([a], [b]) => a.localeCompare(b))) if (conf !== "all" && conf !== "default") interfaces[conf] = mode;
    sysctls.rpFilter = { all, default: fallback, interfaces };
  }
  return sysctls;
}

/** `grep -rH` output ("/proc/sys/net/ipv4/conf/eth0/rp_filter:1") as parseNetSysctls' lines. */
export function sysctlLinesOfGrep(stdout: string): string {
  return stdout
    .split("\n")
    .map((line) => line.replace(/^\/proc\/sys\/net\/ipv4\/conf\/([^/]+)\/rp_filter:/, "rp_filter/$1 ").replace(/^\/proc\/sys\/net\/bridge\/(bridge-nf-call-ip6?tables):/, "$1 "))
    .join("\n");
}

/** The argv (run inside the namespace) that prints those sysctls: one grep, no shell. */
export const GREP_NET_SYSCTLS = ["grep", "-rsH", "", "/proc/sys/net/ipv4/conf", "/proc/sys/net/bridge", "--include=rp_filter", "--include=bridge-nf-call-ip*tables"];
