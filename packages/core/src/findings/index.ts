import { bySeverity, type Finding } from "../model/finding.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { cidrOverlaps } from "./cidr-overlap.js";
import { SnapshotView, type FindingRule } from "./context.js";
import { deadPodSandboxes } from "./pod-sandbox-dead.js";
import { duplicateAddresses } from "./duplicate-address.js";
import { filterDropsFabric } from "./filter-drops-fabric.js";
import { forwardPolicyDrops } from "./forward-policy-drop.js";
import { forwardingOff } from "./forwarding-off.js";
import { mtuMismatches } from "./mtu-mismatch.js";
import { namespacesWithoutProcess } from "./netns-without-process.js";
import { vethPeersMissing } from "./veth-peer-missing.js";

const NODE_RULES: FindingRule[] = [cidrOverlaps, vethPeersMissing, namespacesWithoutProcess, forwardingOff, duplicateAddresses, deadPodSandboxes, mtuMismatches, forwardPolicyDrops, filterDropsFabric];

/** Everything wrong with one node that its snapshot alone can tell, worst first. */
export function nodeFindings(snapshot: NodeSnapshot): Finding[] {
  const view = new SnapshotView(snapshot);
  return NODE_RULES.flatMap((rule) => rule(view)).sort(bySeverity);
}
