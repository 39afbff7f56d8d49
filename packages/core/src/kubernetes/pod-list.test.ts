import { describe, expect, it } from "vitest";
import type { Pod } from "../model/pod.js";
import { nameFromKubernetes } from "./pod-list.js";

const cniPod: Pod = { namespace: "default", name: "web-0", sandbox: { id: "abc", pid: 10, alive: true }, ips: ["10.244.1.5"], containers: [{ name: "httpd", pid: 11 }] };
const apiPod = (over: Record<string, unknown> = {}) => ({
  metadata: { name: "web-0", namespace: "shop", uid: "u-1" },
  spec: { nodeName: "node-a", containers: [{ name: "server" }, { name: "sidecar" }] },
  status: { phase: "Running", podIP: "10.244.1.5", podIPs: [{ ip: "10.244.1.5" }], containerStatuses: [{ name: "server", ready: true, containerID: "containerd://1" }, { name: "sidecar", ready: false }] },
  ...over,
});

describe("naming pods from the Kubernetes API", () => {
  it("matches by IP and takes the API's namespace, uid, phase and containers", () => {
    const { pods, warnings } = nameFromKubernetes([cniPod], [apiPod()]);
    expect(warnings).toEqual([]);
    expect(pods[0]).toMatchObject({ namespace: "shop", name: "web-0", uid: "u-1", kubernetes: { phase: "Running", containers: [{ name: "server", ready: true, id: "containerd://1" }, { name: "sidecar", ready: false }] } });
    expect(pods[0]?.containers).toEqual(cniPod.containers);
  });

  it("prefers the UID, ignores host-network pods, and warns about malformed items", () => {
    const other = apiPod({ metadata: { name: "other", namespace: "x", uid: "u-2" } });
    const byUid = nameFromKubernetes([{ ...cniPod, uid: "u-2", ips: [] }], [apiPod(), other]).pods[0];
    expect(byUid?.name).toBe("other");
    const host = apiPod({ spec: { hostNetwork: true, containers: [] } });
    expect(nameFromKubernetes([cniPod], [host]).pods[0]).toEqual(cniPod);
    expect(nameFromKubernetes([cniPod], [{ metadata: {} }]).warnings[0]).toMatch(/^Kubernetes pod skipped: metadata\.name/);
  });
});
