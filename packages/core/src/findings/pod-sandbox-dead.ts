import type { Finding } from "../model/finding.js";
import { podKey } from "../model/pod.js";
import type { SnapshotView } from "./context.js";

/** The pause process holds a pod's namespace; when it dies the pod's containers lose the network. */
export function deadPodSandboxes(view: SnapshotView): Finding[] {
  return view.snapshot.pods
    .filter((p) => !p.sandbox.alive)
    .map((p) => ({
      code: "pod-sandbox-dead",
      severity: "critical" as const,
      message: `pod ${podKey(p)}: its sandbox holder${p.sandbox.pid ? ` (PID ${p.sandbox.pid})` : ""} is gone, so its containers have no network${p.ips.length ? ` (it had ${p.ips.join(", ")})` : ""}`,
      hint: "Delete the pod so the kubelet recreates its sandbox; check why the pause process died.",
      subjects: [`${view.snapshot.node}/pod/${podKey(p)}`],
    }));
}
