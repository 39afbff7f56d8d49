import { run } from "@netatlas/linux";

export interface PodNode {
  prefix: string;
  node: string;
  pods: string[];
}

/**
 * A node namespace with a bridge and `count` pod namespaces, each joined to the
 * bridge by a veth and given an address and a default route, as the CNI bridge
 * plugin leaves them. Built with one `ip -batch` for the node side and one per pod.
 */
export async function createPodNode(prefix: string, count: number): Promise<PodNode> {
  const node = `${prefix}-node`;
  const pods = Array.from({ length: count }, (_, i) => `${prefix}-p${i}`);
  const hostBatch = [`netns add ${node}`, ...pods.map((p) => `netns add ${p}`)];
  await run(["ip", "-batch", "-"], { input: `${hostBatch.join("\n")}\n`, timeoutMs: 60_000 });
  const nodeBatch = ["link add cni0 type bridge", "addr add 10.244.0.1/16 dev cni0", "link set cni0 up"];
  pods.forEach((p, i) => {
    nodeBatch.push(`link add veth${i} type veth peer name eth0 netns ${p}`, `link set veth${i} master cni0 up`);
  });
  await run(["ip", "-n", node, "-batch", "-"], { input: `${nodeBatch.join("\n")}\n`, timeoutMs: 60_000 });
  for (const [i, p] of pods.entries()) {
    const ip = `10.244.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`;
    const podBatch = ["link set lo up", `addr add ${ip}/16 dev eth0`, "link set eth0 up", "route add default via 10.244.0.1"];
    await run(["ip", "-n", p, "-batch", "-"], { input: `${podBatch.join("\n")}\n` });
  }
  return { prefix, node, pods };
}

export async function destroyPodNode(n: PodNode): Promise<void> {
  const batch = [...n.pods, n.node].map((ns) => `netns delete ${ns}`);
  await run(["ip", "-force", "-batch", "-"], { input: `${batch.join("\n")}\n`, timeoutMs: 60_000 }).catch(() => undefined);
}
