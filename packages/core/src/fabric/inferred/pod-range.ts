import { bigIntToIp, formatCidr, ipToBigInt, parseCidr } from "../../net/cidr.js";

/** flannel's and kubeadm's default cluster CIDRs are /16s, cut into a subnet per node. */
const CLUSTER_PREFIX = 16;

/**
 * The range a fleet's IPv4 pod subnets are cut from, without a spec to say it:
 * their longest common prefix, widened to a /16 when it is narrower. The kernel
 * keeps no record of the cluster CIDR, yet a route left behind for a node that
 * is gone must still be recognised as the fabric's: a /16 around the live
 * subnets holds the subnets of nodes that were.
 */
export function commonPodRange(subnets: readonly string[]): { cidr: string; evidence: string } | undefined {
  const parsed = subnets.map((s) => parseCidr(s)).filter((c) => c.family === 4);
  if (parsed.length === 0) return undefined;
  let prefix = Math.min(...parsed.map((c) => c.prefixLength));
  const first = ipToBigInt(parsed[0]!.network);
  while (prefix > 0 && parsed.some((c) => ipToBigInt(c.network) >> BigInt(32 - prefix) !== first >> BigInt(32 - prefix))) prefix--;
  const widened = prefix > CLUSTER_PREFIX;
  const length = Math.min(prefix, CLUSTER_PREFIX);
  const network = bigIntToIp((first >> BigInt(32 - length)) << BigInt(32 - length), 4);
  const cidr = formatCidr({ family: 4, network, prefixLength: length });
  return { cidr, evidence: `the common prefix of the nodes' pod subnets${widened ? `, widened to /${CLUSTER_PREFIX} (the size of flannel's and kubeadm's default cluster CIDR)` : ""}` };
}
