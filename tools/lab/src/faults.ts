import { join } from "node:path";
import { run } from "@netatlas/linux";
import { inNode, inNodeNet, inPod } from "./enter.js";
import { movedSubnet, staleFdb, staleRoute, wrongVni } from "./fabric-faults.js";
import { labBin } from "./paths.js";
import { descendantWithComm, marker, spawnDetached } from "./processes.js";
import { saveState, type LabState } from "./state.js";
import { resolveTarget } from "./target.js";

export const FAULT_KINDS = ["delete-route", "kill-pause", "wrong-mtu", "docker-overlap", "leak-netns", "dangling-veth", "link-down", "stale-fdb", "stale-route", "wrong-vni", "moved-subnet"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const FAULT_HELP: Record<FaultKind, string> = {
  "delete-route": "delete the node's route to a peer node's pod subnet",
  "kill-pause": "kill a pod's pause holder (its containers keep running, its network is lost)",
  "wrong-mtu": "lower the underlay's MTU below what the VXLAN device sends (host-gw: a pod's eth0 above the bridge's)",
  "docker-overlap": "add a docker0 bridge whose subnet overlaps the pod CIDR",
  "leak-netns": "add a named namespace that no process uses",
  "dangling-veth": "add a veth whose peer is in a namespace the node cannot see",
  "link-down": "set a pod's eth0 down inside the pod (its node-side veth loses carrier; nothing reaches the pod)",
  "stale-fdb": "re-create the node's VXLAN device (flannel.1, netatlas.1) with a new MAC and its own entries; the peers keep the old MAC (VXLAN fabrics)",
  "stale-route": "add a route, shaped like the fabric's, to 10.244.250.0/24, which no node owns (breaks no pod pair)",
  "wrong-vni": "re-create the node's VXLAN device with the next VNI, same MAC and entries; the peers keep theirs (VXLAN fabrics)",
  "moved-subnet": "point the node's route to its first peer's pods at its second peer, as if the subnet had moved (3+ nodes; the second peer forwards: a detour, no pod pair fails)",
};

export const faultHelp = () => FAULT_KINDS.map((k) => `  ${k.padEnd(15)} ${FAULT_HELP[k]}`).join("\n");

const ipJson = async (pid: number, ...args: string[]) => JSON.parse((await run(inNodeNet(pid, ["ip", "-j", ...args]))).stdout || "[]") as Array<Record<string, unknown>>;

/** Injects one fault into the lab and says what it did. */
export async function injectFault(state: LabState, kind: FaultKind, target: string): Promise<string> {
  const { node, pod } = resolveTarget(state, target);
  const pid = node.pid;
  switch (kind) {
    case "delete-route": {
      const peer = state.nodes.find((n) => n.name !== node.name);
      if (!peer) throw new Error("delete-route needs at least two nodes");
      await run(inNodeNet(pid, ["ip", "route", "del", peer.podCidr]));
      return `${node.name}: deleted the route to ${peer.podCidr} (${peer.name}'s pods)`;
    }
    case "kill-pause": {
      const victim = pod ?? node.pods[0];
      if (!victim?.holderPid) throw new Error(`kill-pause: ${node.name} has no pod with a pause holder`);
      process.kill(victim.holderPid, "SIGKILL");
      return `${node.name}/${victim.name}: killed its pause holder (pid ${victim.holderPid})`;
    }
    case "wrong-mtu": {
      const vxlan = (await ipJson(pid, "-d", "link", "show", "type", "vxlan"))[0];
      if (vxlan) {
        // The kernel refuses a VXLAN MTU above its lower device's; the lower device shrinking under it, it allows.
        await run(inNodeNet(pid, ["ip", "link", "set", "eth0", "mtu", "1400"]));
        return `${node.name}: eth0 MTU 1400 under ${String(vxlan.ifname)} (MTU ${String(vxlan.mtu)}): encapsulated frames over 1400 bytes are dropped`;
      }
      const victim = pod ?? node.pods[0];
      if (!victim) throw new Error(`wrong-mtu: ${node.name} has no pod`);
      await run(inPod(pid, victim.netns, ["ip", "link", "set", "eth0", "mtu", "9000"]));
      return `${node.name}/${victim.name}: eth0 MTU 9000 behind a bridge of 1500`;
    }
    case "docker-overlap": {
      // A Docker node has its docker0 already: give it the overlapping subnet too.
      if (!node.docker) await run(inNodeNet(pid, ["ip", "link", "add", "docker0", "type", "bridge"]));
      await run(inNodeNet(pid, ["ip", "addr", "add", "10.244.0.1/16", "dev", "docker0"]));
      await run(inNodeNet(pid, ["ip", "link", "set", "docker0", "up"]));
      return `${node.name}: docker0 with 10.244.0.1/16, inside the pod CIDR ${state.podCidr}`;
    }
    case "leak-netns": {
      const name = `leaked-${Math.random().toString(36).slice(2, 8)}`;
      await run(inNode(pid, ["ip", "netns", "add", name]));
      return `${node.name}: namespace ${name} with no process in it`;
    }
    case "dangling-veth": {
      // The peer's namespace is held by a process outside the node's PID namespace, so
      // nothing the node can see (its /proc, its /run/netns) leads to it.
      const log = join(state.runDir, node.name, "dangling-veth.log");
      const spawned = spawnDetached(["unshare", "--net", "--", labBin("pause"), marker(state.prefix, `${node.name}/dangling-veth`)], log);
      const holder = await descendantWithComm(spawned, "pause");
      state.extraPids.push(holder);
      saveState(state);
      const name = `stray${Math.random().toString(36).slice(2, 6)}`;
      await run(inNodeNet(pid, ["ip", "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", String(holder)]));
      await run(inNodeNet(pid, ["ip", "link", "set", name, "up"]));
      return `${node.name}: veth ${name} whose peer is in a namespace outside the node (held by pid ${holder})`;
    }
    case "stale-fdb":
      return staleFdb(state, node);
    case "stale-route":
      return staleRoute(state, node);
    case "wrong-vni":
      return wrongVni(state, node);
    case "moved-subnet":
      return movedSubnet(state, node);
    case "link-down": {
      const victim = pod ?? node.pods[0];
      if (!victim) throw new Error(`link-down: ${node.name} has no pod`);
      await run(inPod(pid, victim.netns, ["ip", "link", "set", "eth0", "down"]));
      return `${node.name}/${victim.name}: eth0 down inside the pod; its veth on the node has no carrier`;
    }
  }
}
