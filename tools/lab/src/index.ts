/** The lab as a library, for end-to-end tests and benchmarks. */
export { up, type UpOptions } from "./up.js";
export { down } from "./down.js";
export { loadState, type DockerState, type LabState, type NodeState, type PodState } from "./state.js";
export { labStatus, type LabStatus } from "./status.js";
export { injectFault, FAULT_KINDS, type FaultKind } from "./faults.js";
export { inNode, inNodeNet, inPod } from "./enter.js";
export { defaultAgentBin, defaultRunDir } from "./paths.js";
export { agentProcess, readTokens, startAgent, waitForAgent, killAgent } from "./agents.js";
export { labFleetSpec, planLab } from "./plan-lab.js";
export { LAB_FABRICS, type LabFabric, type LabBackend } from "./fabric-kind.js";
export { wireBrownfieldFabric } from "./brownfield-fabric.js";
export { FLANNEL } from "./flannel.js";
export { dockerIn, dockerCgroupParent, DOCKER0, NODE_DOCKER_SOCKET } from "./docker-daemon.js";
export { LAB_DOCKER_NETWORK } from "./docker-pod.js";
