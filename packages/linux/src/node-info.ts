import { existsSync, readFileSync } from "node:fs";
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from "node:os";
import type { NodeInfo } from "@netatlas/core";

/** `KEY="value"` lines of os-release(5). */
function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields.set(m[1] as string, (m[2] as string).replace(/^["']|["']$/g, ""));
  }
  return fields;
}

/** "Debian GNU/Linux 12": the distribution's NAME and VERSION without its codename, as systeminformation printed it. */
function osName(): string {
  for (const path of ["/etc/os-release", "/usr/lib/os-release"]) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue; // os-release(5): the second path is the fallback for the first
    }
    const f = parseOsRelease(text);
    const version = (f.get("VERSION") ?? f.get("VERSION_ID") ?? "").replace(/\s*\(.*\)\s*$/, "");
    return [f.get("NAME") ?? "Linux", version].filter(Boolean).join(" ");
  }
  return "unknown";
}

function sysNet(name: string, file: string): string | undefined {
  try {
    return readFileSync(`/sys/class/net/${name}/${file}`, "utf8").trim();
  } catch {
    return undefined; // an interface that vanished meanwhile, or /sys not mounted
  }
}

/**
 * Host facts from node:os, os-release and /sys, all in-process: systeminformation took
 * ~0.8 s and several helper processes for the same answers. An interface is virtual when
 * the kernel knows no device behind it (/sys/class/net/NAME/device), loopback excepted.
 */
export async function readNodeInfo(): Promise<NodeInfo> {
  const interfaces = Object.entries(networkInterfaces()).map(([name, addrs = []]) => {
    const ip4 = addrs.find((a) => a.family === "IPv4");
    const ip6 = addrs.find((a) => a.family === "IPv6" && !a.address.startsWith("fe80:")) ?? addrs.find((a) => a.family === "IPv6");
    const mtu = Number(sysNet(name, "mtu"));
    const internal = addrs.some((a) => a.internal);
    return {
      name,
      ip4: ip4?.address,
      ip6: ip6?.address,
      mac: addrs[0]?.mac,
      mtu: Number.isFinite(mtu) && mtu > 0 ? mtu : undefined,
      virtual: internal ? false : !existsSync(`/sys/class/net/${name}/device`),
    };
  });
  return { hostname: hostname(), os: osName(), kernel: release(), arch: arch(), cpus: cpus().length, memoryBytes: totalmem(), interfaces };
}
