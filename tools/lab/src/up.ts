import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { handIntentToAgent, readTokens, startAgent, waitForAgent, writeTokenFile } from "./agents.js";
import { startBrownfieldFabric } from "./brownfield-fabric.js";
import { startDockerd } from "./docker-daemon.js";
import { setUpDockerHost } from "./docker-host.js";
import { applyFabric } from "./fabric.js";
import { backendOf } from "./fabric-kind.js";
import { attachNode, createUnderlay, prepareNode, startNode } from "./node.js";
import { planLab, POD_CIDR, UNDERLAY, type LabNodePlan, type LabOptions } from "./plan-lab.js";
import { createPod } from "./pods.js";
import { preflight } from "./preflight.js";
import { loadState, saveState, type LabState, type NodeState } from "./state.js";

export interface UpOptions extends LabOptions {
  agentBin: string;
  log: (message: string) => void;
}

async function buildNode(state: LabState, options: UpOptions, plan: LabNodePlan): Promise<void> {
  const { log } = options;
  const nodeDir = join(state.runDir, plan.name);
  mkdirSync(nodeDir, { recursive: true });
  const started = await startNode(state.prefix, plan.name, join(nodeDir, "node.log"));
  const node: NodeState = { name: plan.name, unsharePid: started.unsharePid, pid: started.pid, underlayIp: plan.underlayIp, podCidr: plan.subnet, docker: plan.docker, pods: [] };
  state.nodes.push(node);
  saveState(state);
  await prepareNode(started.pid, plan.name, state.runDir);
  await attachNode(state.underlay.netns, started.pid, plan.name, plan.underlayIp);
  log(`${plan.name}: up (pid ${started.pid}), ${plan.underlayIp} on the underlay, pod subnet ${plan.subnet}`);
  // dockerd takes a second or two to start: it does so while the CNI pods are made.
  const dockerLaunch = { prefix: state.prefix, nodeName: plan.name, nodePid: started.pid, nodeDir };
  const dockerd = plan.docker ? await startDockerd(dockerLaunch) : undefined;
  for (let i = 1; i <= options.pods; i++) {
    // flanneld masquerades for its pods itself (its CNI plugin then asks the bridge plugin not to).
    const ipMasq = state.fabric !== "flannel";
    const request = { prefix: state.prefix, runDir: state.runDir, nodeName: plan.name, nodePid: started.pid, podName: `${plan.name}-pod${i}`, subnet: plan.subnet, mtu: plan.podMtu, ipMasq };
    const pod = await createPod(request, (p) => {
      if (!node.pods.includes(p)) node.pods.push(p);
      saveState(state);
    });
    log(`${plan.name}: pod ${pod.name} ${pod.ip ?? "(no IP)"}: pause ${pod.holderPid}, httpd and client ${pod.containerPids.join(" ")}`);
  }
  if (dockerd) {
    await setUpDockerHost(dockerLaunch, dockerd, log, (docker) => {
      node.dockerd = docker;
      saveState(state);
    });
  }
  if (plan.intent && state.backend !== "none") {
    const count = await applyFabric(plan.name, started.pid, plan.intent);
    log(`${plan.name}: ${state.backend} fabric: ${count} ops`);
  }
  if (options.agents) {
    const socket = join(nodeDir, "agent.sock");
    const logFile = join(nodeDir, "agent.log");
    const pid = startAgent({ nodeName: plan.name, nodePid: started.pid, agentBin: options.agentBin, socket, tokenFile: state.tokenFile, log: logFile, underlayIp: plan.underlayIp });
    node.agent = { pid, socket, log: logFile };
    saveState(state);
  }
}

/** Builds the lab; on any failure the caller runs `down`, which removes whatever was made. */
export async function up(options: UpOptions): Promise<LabState> {
  const problems = preflight({ docker: options.dockerNodes > 0 });
  if (problems.length) throw new Error(problems.join("\n"));
  if (loadState(options.runDir)) throw new Error(`a lab with prefix "${options.prefix}" already exists (${options.runDir}); run \`netatlas-lab down --prefix ${options.prefix}\` first`);
  const fabric = options.fabric ?? "netatlas";
  const backend = backendOf(fabric, options.backend);
  const plans = planLab({ nodes: options.nodes, dockerNodes: options.dockerNodes, fabric, backend });
  mkdirSync(options.runDir, { recursive: true, mode: 0o700 });
  const state: LabState = {
    prefix: options.prefix,
    runDir: options.runDir,
    fabric,
    backend,
    podCidr: POD_CIDR,
    underlay: { netns: `${options.prefix}-underlay`, cidr: UNDERLAY.cidr, gateway: UNDERLAY.gateway },
    tokenFile: join(options.runDir, "tokens"),
    nodes: [],
    extraPids: [],
  };
  saveState(state);
  writeTokenFile(state.tokenFile);
  await createUnderlay(state.underlay.netns);
  options.log(`underlay ${state.underlay.netns}: br0 ${UNDERLAY.cidr}`);
  // Nodes build side by side; each node's pods one after another (host-local IPAM takes a lock anyway).
  await Promise.all(plans.map((plan) => buildNode(state, options, plan)));
  state.nodes.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  saveState(state);
  if (state.fabric !== "netatlas") {
    // Like flanneld, each node wires its peers once it knows their leases: after every node exists.
    await startBrownfieldFabric(state);
    options.log(`${state.fabric} fabric wired between ${state.nodes.length} nodes, without netatlas (the agents get no intent)`);
  }
  if (options.agents) {
    await Promise.all(state.nodes.map((n) => (n.agent ? waitForAgent(n.agent) : undefined)));
    options.log(`agents answering on ${state.nodes.map((n) => n.agent?.socket).join(", ")}`);
    const intents = plans.flatMap((plan) => (plan.intent && state.backend !== "none" ? [{ name: plan.name, intent: plan.intent }] : []));
    if (intents.length) {
      const { admin } = readTokens(state.tokenFile);
      await Promise.all(intents.map(({ name, intent }) => handIntentToAgent(state.nodes.find((n) => n.name === name)?.agent?.socket as string, admin, intent)));
      options.log("agents keep the fabric's intent: drift from it is reported");
    }
  }
  return state;
}
