import { LAB_DOCKER_NETWORK, runDockerPod } from "./docker-pod.js";
import { DOCKER0, NODE_DOCKER_SOCKET, waitForDockerd, type DockerdLaunch, type StartedDockerd } from "./docker-daemon.js";
import { importLabImage, LAB_IMAGE } from "./docker-image.js";
import type { DockerState } from "./state.js";

/**
 * Makes a started dockerd a Docker host of the lab: waits for it, imports the
 * lab's image, and runs the Docker pod. `onStep` gets the state after each step.
 */
export async function setUpDockerHost(
  launch: DockerdLaunch,
  dockerd: StartedDockerd,
  log: (message: string) => void,
  onStep: (state: DockerState) => void,
): Promise<DockerState> {
  const state: DockerState = { pid: dockerd.pid, socket: NODE_DOCKER_SOCKET, dataRoot: dockerd.dataRoot, log: dockerd.log, networks: [], containers: [] };
  onStep(state);
  const version = await waitForDockerd(launch.nodePid, dockerd);
  log(`${launch.nodeName}: dockerd ${version} answering on ${NODE_DOCKER_SOCKET}, docker0 ${DOCKER0}`);
  await importLabImage(launch.nodePid, launch.nodeDir, `${launch.nodeName}-web (docker) on ${launch.nodeName}\n`);
  log(`${launch.nodeName}: imported ${LAB_IMAGE} from busybox-static`);
  const pod = await runDockerPod(launch.nodePid, launch.nodeName, (c) => {
    state.containers.push(c);
    onStep(state);
  });
  state.networks = pod.networks;
  onStep(state);
  log(`${launch.nodeName}: network ${LAB_DOCKER_NETWORK.name} ${LAB_DOCKER_NETWORK.subnet}; containers ${state.containers.map((c) => `${c.name} (${c.network})`).join(", ")}`);
  return state;
}
