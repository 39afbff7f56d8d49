import { describe, expect, it } from "vitest";
import type { Address, Netns } from "../index.js";
import { podsFromCniCache } from "./cni-cache.js";

const podNs: Netns = { id: 200, kind: "named", names: ["cni-1234"], paths: ["/var/run/netns/cni-1234"], processes: [{ pid: 10, comm: "pause" }, { pid: 11, comm: "httpd" }, { pid: 12, comm: "sh" }] };
const host: Netns = { id: 1, kind: "host", names: ["host"], paths: [], processes: [{ pid: 1, comm: "init" }] };
const entry = (over: Record<string, unknown> = {}) => ({
  kind: "cniCacheV1",
  containerId: "abc123",
  ifName: "eth0",
  networkName: "cbr0",
  cniArgs: [["IgnoreUnknown", "1"], ["K8S_POD_NAMESPACE", "shop"], ["K8S_POD_NAME", "web-0"], ["K8S_POD_UID", "u-1"]],
  result: { cniVersion: "1.0.0", interfaces: [{ name: "cni0" }, { name: "vethx" }, { name: "eth0", sandbox: "/var/run/netns/cni-1234" }], ips: [{ address: "10.244.1.5/24", gateway: "10.244.1.1", interface: 2 }] },
  ...over,
});

describe("pods from the CNI result cache", () => {
  it("names the pod, its sandbox holder, IPs and the containers sharing its namespace", () => {
    const { pods, warnings } = podsFromCniCache([entry()], [host, podNs], []);
    expect(warnings).toEqual([]);
    expect(pods).toEqual([
      {
        namespace: "shop",
        name: "web-0",
        uid: "u-1",
        sandbox: { id: "abc123", pid: 10, alive: true },
        netns: 200,
        netnsPath: "/var/run/netns/cni-1234",
        ips: ["10.244.1.5"],
        ifname: "eth0",
        network: "cbr0",
        containers: [
          { name: "httpd", pid: 11, command: "httpd" },
          { name: "sh", pid: 12, command: "sh" },
        ],
      },
    ]);
  });

  it("counts a sandbox once though containerd also caches its loopback network", () => {
    const loopback = entry({ ifName: "lo", networkName: "cni-loopback", result: { cniVersion: "1.0.0", interfaces: [{ name: "lo", sandbox: "/var/run/netns/cni-1234" }], ips: [] } });
    const { pods } = podsFromCniCache([loopback, entry()], [host, podNs], []);
    expect(pods.map((p) => [p.name, p.network, p.ips])).toEqual([["web-0", "cbr0", ["10.244.1.5"]]]);
  });

  it("marks the sandbox dead when the pause process is gone, though its containers still run", () => {
    const orphaned = { ...podNs, processes: podNs.processes.filter((p) => p.comm !== "pause") };
    const [pod] = podsFromCniCache([entry()], [host, orphaned], []).pods;
    expect(pod?.sandbox).toEqual({ id: "abc123", pid: undefined, alive: false });
    expect(pod?.containers.map((c) => c.name)).toEqual(["httpd", "sh"]);
  });

  it("finds the namespace by the pod's address when the sandbox path is unknown", () => {
    const moved = { ...podNs, paths: [] };
    const addr: Address = { netns: 200, ifindex: 2, ifname: "eth0", family: 4, address: "10.244.1.5", prefixLength: 24, scope: "global" };
    const [pod] = podsFromCniCache([entry()], [host, moved], [addr]).pods;
    expect(pod?.netns).toBe(200);
  });

  it("skips entries that are not Kubernetes pods and warns about malformed ones", () => {
    const plain = entry({ cniArgs: [["IgnoreUnknown", "1"]] });
    const { pods, warnings } = podsFromCniCache([plain, { containerId: 5 }], [host, podNs], []);
    expect(pods).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining("containerId")]);
  });
});
