import { existsSync } from "node:fs";
import { DOCKER_CLI } from "./docker-daemon.js";
import { BUSYBOX } from "./docker-image.js";
import { binDir, CNI_BIN_DIR, labBin } from "./paths.js";

/** What the lab needs on the machine, with the Debian package that brings it. */
const NEEDS: Array<{ path: string[]; pkg: string }> = [
  { path: ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"], pkg: "iproute2" },
  { path: ["/usr/sbin/bridge", "/sbin/bridge", "/usr/bin/bridge"], pkg: "iproute2" },
  { path: ["/usr/sbin/nft", "/sbin/nft"], pkg: "nftables" },
  { path: ["/usr/bin/unshare", "/bin/unshare"], pkg: "util-linux" },
  { path: ["/usr/bin/nsenter", "/bin/nsenter"], pkg: "util-linux" },
  { path: [`${CNI_BIN_DIR}/bridge`], pkg: "containernetworking-plugins" },
  { path: [`${CNI_BIN_DIR}/host-local`], pkg: "containernetworking-plugins" },
  { path: [`${CNI_BIN_DIR}/loopback`], pkg: "containernetworking-plugins" },
  { path: ["/usr/sbin/iptables", "/sbin/iptables"], pkg: "iptables" },
];

/** What a Docker node needs besides. */
const DOCKER_NEEDS: Array<{ path: string[]; pkg: string }> = [
  { path: ["/usr/sbin/dockerd"], pkg: "docker.io" },
  { path: [DOCKER_CLI], pkg: "docker.io" },
  { path: ["/usr/bin/containerd"], pkg: "containerd" },
  { path: ["/usr/sbin/runc", "/usr/bin/runc"], pkg: "runc" },
  { path: [BUSYBOX], pkg: "busybox-static" },
];

/** Clear errors before anything is made: not root, a missing package, helpers not built. */
export function preflight(options: { docker: boolean }): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push("netatlas-lab makes network namespaces and must run as root");
  const needs = options.docker ? [...NEEDS, ...DOCKER_NEEDS] : NEEDS;
  const packages = new Set(needs.filter((n) => !n.path.some((p) => existsSync(p))).map((n) => n.pkg));
  for (const pkg of packages) problems.push(`missing Debian package ${pkg}: apt-get install ${pkg} (or run tools/run/setup.sh)`);
  for (const name of ["pause", "client", "httpd"] as const) {
    if (!existsSync(labBin(name))) problems.push(`${labBin(name)} is missing: build the lab first (npm run build -w netatlas-lab; httpd needs busybox-static)`);
  }
  if (problems.length === 0 && !existsSync(binDir)) problems.push(`${binDir} is missing`);
  return problems;
}
