import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../exec.js";

/** A small Kubernetes-like node made of real namespaces, for tests and fixtures. */
export interface CniNode {
  prefix: string;
  /** Namespace names (under /var/run/netns) by role: node, underlay, pods, leaked. */
  node: string;
  underlay: string;
  pods: string[];
  leaked: string;
  all: string[];
  /** Removes every namespace (and so every link) this node made; safe to call twice. */
  destroy(): Promise<void>;
}

export interface CniNodeOptions {
  pods?: number;
  /** A flannel-style VXLAN device with a peer route, neighbour and FDB entry. */
  vxlan?: boolean;
  /** A native nftables masquerade rule in the node. */
  nft?: boolean;
}

/** A short random prefix so parallel tests and a running lab never share names. */
export function uniquePrefix(stem: string): string {
  return `${stem}${Math.random().toString(36).slice(2, 7)}`;
}

const POD_SUBNET = "10.244.1.0/24";

async function cniAdd(node: string, pod: string, ipamDir: string): Promise<void> {
  const conf = {
    cniVersion: "1.0.0",
    name: "cbr0",
    type: "bridge",
    bridge: "cni0",
    isGateway: true,
    ipMasq: true,
    ipam: { type: "host-local", ranges: [[{ subnet: POD_SUBNET }]], routes: [{ dst: "0.0.0.0/0" }], dataDir: ipamDir },
  };
  // The plugin makes the bridge in the namespace it runs in, so it runs in the node.
  await run(["ip", "netns", "exec", node, "/usr/lib/cni/bridge"], {
    input: JSON.stringify(conf),
    env: { ...process.env, CNI_COMMAND: "ADD", CNI_CONTAINERID: `test-${pod}`, CNI_NETNS: `/var/run/netns/${pod}`, CNI_IFNAME: "eth0", CNI_PATH: "/usr/lib/cni", CNI_ARGS: `IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=${pod}` },
  });
}

async function addVxlan(node: string): Promise<void> {
  const ip = (...args: string[]) => run(["ip", "-n", node, ...args]);
  await ip("link", "add", "flannel.1", "type", "vxlan", "id", "1", "dstport", "8472", "local", "192.168.77.10", "dev", "eth0", "nolearning");
  await ip("link", "set", "flannel.1", "mtu", "1450", "address", "0e:00:00:00:01:01", "up");
  await ip("addr", "add", "10.244.1.0/32", "dev", "flannel.1");
  await ip("route", "add", "10.244.2.0/24", "via", "10.244.2.0", "dev", "flannel.1", "onlink");
  await ip("neigh", "add", "10.244.2.0", "lladdr", "0e:00:00:00:02:01", "dev", "flannel.1", "nud", "permanent");
  await run(["bridge", "-n", node, "fdb", "append", "0e:00:00:00:02:01", "dev", "flannel.1", "dst", "192.168.77.11", "self", "permanent"]);
}

const MASQUERADE = 'table ip netatlas {\n chain postrouting {\n  type nat hook postrouting priority srcnat; policy accept;\n  ip saddr 10.244.0.0/16 ip daddr != 10.244.0.0/16 oifname != "cni0" counter masquerade\n }\n}\n';

/**
 * Builds a node namespace joined to an underlay namespace, pods attached to its
 * cni0 by the real CNI bridge plugin (host-local IPAM in a temporary directory, so
 * the host's /var/lib/cni is untouched), and a named namespace nothing uses.
 * Everything is removed on failure too.
 */
export async function createCniNode(prefix: string, options: CniNodeOptions = {}): Promise<CniNode> {
  const node = `${prefix}-node`;
  const underlay = `${prefix}-underlay`;
  const leaked = `${prefix}-leak`;
  const pods = Array.from({ length: options.pods ?? 2 }, (_, i) => `${prefix}-pod${i + 1}`);
  const all = [node, underlay, ...pods, leaked];
  const ipamDir = await mkdtemp(join(tmpdir(), "netatlas-test-ipam-"));
  const destroy = async () => {
    for (const ns of [...pods, node, underlay, leaked]) await run(["ip", "netns", "delete", ns]).catch(() => undefined);
    await rm(ipamDir, { recursive: true, force: true });
  };
  try {
    for (const ns of all) {
      await run(["ip", "netns", "add", ns]);
      // Without duplicate address detection, IPv6 link-local addresses and their
      // routes exist as soon as a link is up, so tests see a settled state.
      await run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0"]);
    }
    const inNode = (...args: string[]) => run(["ip", "-n", node, ...args]);
    await run(["ip", "netns", "exec", node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]);
    await run(["ip", "-n", underlay, "link", "add", "br-underlay", "type", "bridge"]);
    await run(["ip", "-n", underlay, "link", "set", "br-underlay", "up"]);
    await run(["ip", "-n", underlay, "link", "add", "u-node", "type", "veth", "peer", "name", "eth0", "netns", node]);
    await run(["ip", "-n", underlay, "link", "set", "u-node", "master", "br-underlay", "up"]);
    await inNode("addr", "add", "192.168.77.10/24", "dev", "eth0");
    await inNode("addr", "add", "2001:db8:77::10/64", "dev", "eth0", "nodad");
    await inNode("link", "set", "eth0", "up");
    await inNode("route", "add", "default", "via", "192.168.77.1", "dev", "eth0", "onlink");
    for (const pod of pods) await cniAdd(node, pod, ipamDir);
    if (options.vxlan) await addVxlan(node);
    await inNode("route", "add", "blackhole", "10.99.0.0/16", "table", "100", "proto", "77");
    await inNode("route", "add", "2001:db8:99::/64", "via", "2001:db8:77::1", "dev", "eth0", "metric", "50");
    if (options.nft) await run(["ip", "netns", "exec", node, "nft", "-f", "-"], { input: MASQUERADE });
  } catch (error) {
    await destroy();
    throw error;
  }
  return { prefix, node, underlay, pods, leaked, all, destroy };
}
