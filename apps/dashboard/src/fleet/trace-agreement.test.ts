import type { ProbeResult } from "@netatlas/agent-api";
import { trace } from "@netatlas/core";
import { describe, expect, it } from "vitest";
import { labFleet } from "../../test/lab-fleet";
import { compareWithProbe } from "./trace-agreement";

const probe = (ok: boolean[], routeGet: ProbeResult["routeGet"] = { dev: "eth0", gateway: "10.244.0.1", type: "unicast" }): ProbeResult => ({
  node: "node1",
  netns: 1,
  target: "10.244.1.2",
  protocol: "icmp",
  attempts: ok.map((o) => (o ? { ok: true, rttMs: 0.2 } : { ok: false, error: "timeout" })),
  routeGet,
});

describe("trace against a real probe", () => {
  const fleet = labFleet();
  const delivered = trace(fleet, { pod: "default/node1-pod1" }, { ip: "10.244.1.2", protocol: "icmp" });
  const nowhere = trace(fleet, { pod: "default/node1-pod1" }, { ip: "192.0.2.7", protocol: "icmp" });

  it("agrees when the trace says delivered and the probe got replies", () => {
    expect(delivered.forward.verdict.kind).toBe("delivered");
    const agreement = compareWithProbe(delivered, probe([true, false, true]));
    expect(agreement).toMatchObject({ agree: true, message: "trace says delivered and the probe (icmp) got 2 of 3 replies" });
  });

  it("agrees when the trace says the packet is lost and no reply came", () => {
    expect(nowhere.forward.verdict.kind).not.toBe("delivered");
    expect(compareWithProbe(nowhere, probe([false, false, false])).agree).toBe(true);
  });

  it("differs, and says what that may mean, when reality and the explanation part", () => {
    expect(compareWithProbe(delivered, probe([false, false, false]))).toMatchObject({ agree: false, message: expect.stringContaining("does not pass") });
    expect(compareWithProbe(nowhere, probe([true]))).toMatchObject({ agree: false, message: expect.stringContaining("passes where the trace says it cannot") });
  });

  it("holds the trace's first routing hop against the kernel's ip route get", () => {
    const route = delivered.forward.hops.find((h) => h.action === "route")?.route;
    const same = compareWithProbe(delivered, probe([true], { dev: route?.dev, gateway: route?.via, type: "unicast" })).firstHop;
    expect(same).toMatchObject({ trace: { dev: route?.dev }, kernel: { dev: route?.dev, type: "unicast" }, agree: true });
    expect(compareWithProbe(delivered, probe([true], { dev: "other0" })).firstHop.agree).toBe(false);
    expect(compareWithProbe(delivered, { ...probe([true]), routeGet: undefined, routeError: "RTNETLINK answers: Network is unreachable" }).firstHop).toEqual({
      trace: { dev: route?.dev, via: route?.via },
      kernel: undefined,
      agree: null,
      error: "RTNETLINK answers: Network is unreachable",
    });
  });
});
