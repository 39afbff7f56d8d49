import { Command, Option } from "commander";
import { nodeFindings } from "@netatlas/core";
import { DEFAULT_CNI_CACHE_DIR, DEFAULT_DOCKER_NETNS_DIR, DEFAULT_DOCKER_SOCKET, DEFAULT_NETNS_DIR, inClusterAccess, snapshotNode } from "@netatlas/linux";
import { formatSnapshot } from "../format/snapshot-text.js";

interface SnapshotFlags {
  json?: boolean;
  reader: "auto" | "netlink" | "iproute2";
  nft: "host" | "all" | "none";
  nodeName?: string;
  netnsDir: string;
  dockerNetnsDir: string;
  cniCacheDir: string;
  podHolderComm: string;
  dockerSocket: string;
}

export function snapshotCommand(): Command {
  return new Command("snapshot")
    .description("read this node's network namespaces, links, addresses, routes, neighbours, FDB and NAT rules")
    .option("--json", "print the NodeSnapshot as JSON (see `netatlas-agent schema`)")
    .addOption(new Option("--reader <reader>", "how to read the kernel: in-process rtnetlink, or ip -j processes").choices(["auto", "netlink", "iproute2"]).default("auto"))
    .addOption(new Option("--nft <which>", "whose nftables NAT rules to read").choices(["host", "all", "none"]).default("host"))
    .option("--node-name <name>", "the node's name in the fleet (default: the hostname)")
    .option("--netns-dir <dir>", "where named namespaces are bound", DEFAULT_NETNS_DIR)
    .option("--docker-netns-dir <dir>", "where dockerd binds its sandboxes' namespaces", DEFAULT_DOCKER_NETNS_DIR)
    .option("--cni-cache-dir <dir>", "the container runtime's CNI result cache (pods, their sandboxes and IPs)", DEFAULT_CNI_CACHE_DIR)
    .option("--pod-holder-comm <name>", "command name of a pod's sandbox holder process", "pause")
    .option("--docker-socket <path>", "the Docker Engine API socket", DEFAULT_DOCKER_SOCKET)
    .action(async (opts: SnapshotFlags) => {
      const started = performance.now();
      const snapshot = await snapshotNode({
        reader: opts.reader,
        nft: opts.nft,
        nodeName: opts.nodeName,
        netnsDir: opts.netnsDir,
        dockerNetnsDir: opts.dockerNetnsDir,
        cniCacheDir: opts.cniCacheDir,
        podHolderComm: opts.podHolderComm,
        dockerSocket: opts.dockerSocket,
        kubernetes: await inClusterAccess(),
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(snapshot)}\n`);
        return;
      }
      process.stdout.write(formatSnapshot(snapshot, nodeFindings(snapshot), performance.now() - started));
    });
}
