import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "@netatlas/linux";
import { attachPod, podNetworkConfig } from "./cni.js";
import { inNode, inPod } from "./enter.js";
import { labBin } from "./paths.js";
import { POD_HTTP_PORT } from "./plan-lab.js";
import { descendantWithComm, marker, spawnDetached } from "./processes.js";
import type { PodState } from "./state.js";

export interface PodRequest {
  prefix: string;
  runDir: string;
  nodeName: string;
  nodePid: number;
  podName: string;
  subnet: string;
  mtu: number;
  /** Whether the CNI bridge plugin masquerades the pod's traffic (see podNetworkConfig). */
  ipMasq: boolean;
}

/** Starts `argv` inside the pod's namespace (and the node's PID namespace) and returns its PID as the host sees it. */
async function startInPod(request: PodRequest, netns: string, comm: string, argv: string[]): Promise<number> {
  const log = join(request.runDir, request.nodeName, `${request.podName}.${comm}.log`);
  const spawned = spawnDetached(inPod(request.nodePid, netns, argv), log);
  return descendantWithComm(spawned, comm);
}

/**
 * A Kubernetes-style pod: a sandbox namespace held by a pause process, attached
 * by the real CNI plugins as a runtime attaches it, and two containers in it: an
 * HTTP server and a client that asks it on 127.0.0.1.
 */
export async function createPod(request: PodRequest, onStep: (pod: PodState) => void): Promise<PodState> {
  const containerId = randomBytes(32).toString("hex");
  const netns = `cni-${randomUUID()}`;
  const pod: PodState = { name: request.podName, netns, containerId, containerPids: [] };
  await run(inNode(request.nodePid, ["ip", "netns", "add", netns]));
  onStep(pod);
  pod.holderPid = await startInPod(request, netns, "pause", [labBin("pause"), marker(request.prefix, `${request.nodeName}/${request.podName}`)]);
  onStep(pod);
  const result = await attachPod(
    { nodePid: request.nodePid, containerId, netnsPath: `/run/netns/${netns}`, ifName: "eth0", podNamespace: "default", podName: request.podName, podUid: randomUUID() },
    podNetworkConfig(request.subnet, request.mtu, request.ipMasq),
  );
  pod.ip = result.ips?.[0]?.address.split("/")[0];
  const www = join(request.runDir, request.nodeName, "www", request.podName);
  mkdirSync(www, { recursive: true });
  writeFileSync(join(www, "index.html"), `${request.podName} on ${request.nodeName} (${pod.ip ?? "no IP"})\n`);
  const server = await startInPod(request, netns, "httpd", [labBin("httpd"), "-f", "-p", String(POD_HTTP_PORT), "-h", www]);
  const client = await startInPod(request, netns, "client", [labBin("client"), String(POD_HTTP_PORT), "5"]);
  pod.containerPids = [server, client];
  onStep(pod);
  return pod;
}
