import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trace } from "@netatlas/core";
import { createAgentClient, type AgentClient } from "@netatlas/agent-api";
import { uniquePrefix } from "@netatlas/linux/testing";
import { injectFault, readTokens } from "../src/index.js";
import { buildLab, podOf, removeLab, type TestLab } from "./support.js";

// Needs root. Probes really send packets, between the lab's own pods only.
describe("an agent's probe, against the trace's explanation", { timeout: 30_000 }, () => {
  let lab: TestLab;
  let admin: AgentClient;
  beforeAll(async () => {
    lab = await buildLab(uniquePrefix("lp"), { nodes: 2, pods: 1, backend: "vxlan", agents: true });
    admin = createAgentClient({ url: `unix:${lab.state.nodes[0]!.agent!.socket}`, token: readTokens(lab.state.tokenFile).admin });
  }, 90_000);
  afterAll(() => removeLab(lab));

  const from = () => podOf(lab.state, "node1-pod1").pod;
  const to = () => podOf(lab.state, "node2-pod1").pod;
  const fleet = () => Promise.all(lab.state.nodes.map((n) => createAgentClient({ url: `unix:${n.agent!.socket}`, token: readTokens(lab.state.tokenFile).read }).snapshot.query({ maxAgeMs: 0 })));

  it("reaches a pod on the other node by ICMP and TCP, and reports the kernel's first hop", async () => {
    const icmp = await admin.probe.mutate({ netns: from().netns, target: to().ip!, count: 2 });
    expect(icmp.attempts.map((a) => a.ok)).toEqual([true, true]);
    expect(icmp.routeGet).toMatchObject({ dev: "eth0", gateway: "10.244.0.1" });
    const tcp = await admin.probe.mutate({ netns: from().netns, target: to().ip!, protocol: "tcp", port: 8080, count: 1 });
    expect(tcp.attempts[0]?.ok).toBe(true);
    const closed = await admin.probe.mutate({ netns: from().netns, target: to().ip!, protocol: "tcp", port: 9, count: 1 });
    expect(closed.attempts[0]).toMatchObject({ ok: false, error: expect.stringMatching(/refused/i) });
    const explained = trace(await fleet(), { pod: "node1-pod1" }, { ip: to().ip! });
    expect(explained.forward.verdict.kind).toBe("delivered");
  });

  it("refuses targets outside the fleet, unknown namespaces, bad input and read tokens", async () => {
    await expect(admin.probe.mutate({ netns: from().netns, target: "8.8.8.8" })).rejects.toMatchObject({ data: { code: "FORBIDDEN" }, message: expect.stringMatching(/^target: 8\.8\.8\.8 is outside the fleet/) });
    await expect(admin.probe.mutate({ netns: "no-such-ns", target: to().ip! })).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
    await expect(admin.probe.mutate({ netns: from().netns, target: to().ip!, protocol: "tcp" })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" }, message: expect.stringMatching(/port/) });
    await expect(admin.probe.mutate({ netns: from().netns, target: to().ip!, count: 50 })).rejects.toMatchObject({ data: { code: "BAD_REQUEST" } });
    const read = createAgentClient({ url: `unix:${lab.state.nodes[0]!.agent!.socket}`, token: readTokens(lab.state.tokenFile).read });
    await expect(read.probe.mutate({ netns: from().netns, target: to().ip! })).rejects.toMatchObject({ data: { httpStatus: 403 } });
  });

  it("agrees with the trace when a route is missing: the trace names the route, the probe gets no reply", async () => {
    await injectFault(lab.state, "delete-route", "node1");
    const explained = trace(await fleet(), { pod: "node1-pod1" }, { ip: to().ip! });
    expect(explained.forward.verdict.kind).not.toBe("delivered");
    expect(explained.forward.verdict.message).toMatch(/10\.244\.1\.0\/24/);
    const icmp = await admin.probe.mutate({ netns: from().netns, target: to().ip!, count: 1, timeoutMs: 1_000 });
    expect(icmp.attempts[0]?.ok).toBe(false);
  });
});
