import { describe, expect, it } from "vitest";
import { labFleet } from "../../test/lab-fleet";
import { findEndpoints, resolveEndpoint, traceEndpoints } from "./trace-endpoints";

describe("trace endpoints", () => {
  const endpoints = traceEndpoints(labFleet());

  it("lists pods, Docker containers and named namespaces with their node and IPs", () => {
    expect(endpoints.find((e) => e.key === "pod default/node1-pod1")).toMatchObject({ kind: "pod", node: "node1", ips: ["10.244.0.2"], source: { pod: "default/node1-pod1" } });
    expect(endpoints.find((e) => e.key === "container node2-solo")).toMatchObject({ kind: "container", node: "node2", ips: ["172.17.0.2"], source: { container: "node2-solo" } });
    expect(endpoints.filter((e) => e.kind === "netns").map((e) => e.node)).toEqual(["node1", "node1", "node2", "node2", "node2", "node2"]);
  });

  it("finds endpoints by pod name, container name, Kubernetes namespace or IP, ignoring case", () => {
    expect(findEndpoints(endpoints, "NODE2-POD").map((e) => e.key)).toEqual(["pod default/node2-pod1", "pod default/node2-pod2"]);
    expect(findEndpoints(endpoints, "10.244.1.3").map((e) => e.key)).toEqual(["pod default/node2-pod2"]);
    expect(findEndpoints(endpoints, "httpd")).toHaveLength(4);
    expect(findEndpoints(endpoints, "default").every((e) => e.kind === "pod")).toBe(true);
    expect(findEndpoints(endpoints, "")).toHaveLength(endpoints.length);
  });

  it("resolves a suggestion's key, a unique name or an owned IP to its endpoint and address", () => {
    expect(resolveEndpoint(endpoints, "pod default/node2-pod1")).toMatchObject({ ok: true, source: { pod: "default/node2-pod1" }, ip: "10.244.1.2" });
    expect(resolveEndpoint(endpoints, " node1-pod2 ")).toMatchObject({ ok: true, source: { pod: "default/node1-pod2" }, ip: "10.244.0.3" });
    expect(resolveEndpoint(endpoints, "172.30.0.2")).toMatchObject({ ok: true, source: { container: "node2-pause" }, ip: "172.30.0.2" });
  });

  it("takes any other IP as it is, so the trace can say whether anyone owns it", () => {
    expect(resolveEndpoint(endpoints, "192.0.2.7")).toEqual({ ok: true, source: { ip: "192.0.2.7" }, ip: "192.0.2.7" });
  });

  it("says which endpoints an ambiguous name means, and suggests near names for an unknown one", () => {
    expect(resolveEndpoint(endpoints, "httpd")).toEqual({ ok: false, message: expect.stringMatching(/^"httpd" names 4 endpoints \(pod default\/node1-pod2, .*\); pick one from the list$/) });
    expect(resolveEndpoint(endpoints, "node1-pod")).toEqual({ ok: false, message: 'no pod, container, namespace or IP is "node1-pod"; did you mean pod default/node1-pod2, pod default/node1-pod1?' });
    expect(resolveEndpoint(endpoints, "nothing")).toEqual({ ok: false, message: 'no pod, container, namespace or IP is "nothing"' });
  });
});
