/** A page of the dashboard where a fault shows. */
export interface FaultPage {
  page: "Findings" | "Drift" | "Trace" | "Topology" | "Pods" | "Reachability";
  href: string;
}

export interface DemoFault {
  /** The lab's fault (tools/lab: `netatlas-lab fault KIND`). */
  kind: string;
  /** What it breaks, in a line. */
  what: string;
  where: FaultPage[];
}

const FINDINGS: FaultPage = { page: "Findings", href: "/findings" };
const DRIFT: FaultPage = { page: "Drift", href: "/drift" };
const TRACE: FaultPage = { page: "Trace", href: "/trace" };
const TOPOLOGY: FaultPage = { page: "Topology", href: "/topology" };
const PODS: FaultPage = { page: "Pods", href: "/pods" };
const REACHABILITY: FaultPage = { page: "Reachability", href: "/reachability" };

/**
 * The lab's faults and where each shows in the dashboard, for the demo's Fleet page. The
 * demo's agents keep netatlas's fabric as their intent, so a fault in what they own (a
 * route, the VXLAN device) is drift too; a fault in what nobody owns shows as a finding.
 */
export const DEMO_FAULTS: readonly DemoFault[] = [
  { kind: "delete-route", what: "node1 loses its route to a peer's pods", where: [DRIFT, TRACE, REACHABILITY] },
  { kind: "kill-pause", what: "a pod's pause holder dies; its containers lose the network", where: [FINDINGS, PODS, TRACE] },
  { kind: "wrong-mtu", what: "the underlay's MTU drops below what VXLAN sends", where: [FINDINGS, TRACE] },
  { kind: "docker-overlap", what: "a docker0 whose subnet overlaps the pod CIDR", where: [FINDINGS] },
  { kind: "leak-netns", what: "a network namespace no process uses", where: [FINDINGS, TOPOLOGY] },
  { kind: "dangling-veth", what: "a veth whose peer is out of sight", where: [FINDINGS, TOPOLOGY] },
  { kind: "link-down", what: "a pod's eth0 goes down; nothing reaches the pod", where: [TRACE, TOPOLOGY, REACHABILITY] },
  { kind: "stale-fdb", what: "node1's VXLAN device gets a new MAC the peers do not know", where: [DRIFT, TRACE, REACHABILITY] },
  { kind: "stale-route", what: "a route to a subnet no node owns", where: [FINDINGS, DRIFT, TRACE] },
  { kind: "wrong-vni", what: "node1's VXLAN device moves to another VNI", where: [DRIFT, TRACE, REACHABILITY] },
  { kind: "moved-subnet", what: "node1 sends a peer's pods through the third node (a detour)", where: [DRIFT, TRACE] },
];

const LAB = "node tools/lab/bin/netatlas-lab.js";

/** What the Fleet page of a demo lab suggests: each fault as the command to run (from the repository), and where it shows. */
export function demoHints(prefix: string) {
  return {
    prefix,
    faults: DEMO_FAULTS.map((f) => ({ ...f, command: `${LAB} fault ${f.kind} --prefix ${prefix}` })),
    /** Every fault is gone with the lab; the demo builds a fresh one. */
    reset: `${LAB} down --prefix ${prefix} && bash tools/run/demo.sh`,
  };
}
export type DemoHints = ReturnType<typeof demoHints>;
