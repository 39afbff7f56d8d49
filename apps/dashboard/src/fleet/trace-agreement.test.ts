import type { ProbeResult } from "@netatlas/agent-api";
import { trace } from "@netatlas/core";
import { describe, expect, it } from "vitest";
import { dropFrom, randomDrop, withForwardRules } from "../../test/firewalled-fleet";
import { labFleet } from "../../test/lab-fleet";
import { compareWithProbe, expectedReplies } from "./trace-agreement";

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
    expect(agreement).toMatchObject({ agree: true, expected: "replies", message: "trace says delivered and the probe (icmp) got 2 of 3 replies" });
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

  it("expects no reply when the request is delivered but the reply is filtered, and says so", () => {
    const replyDropped = trace(withForwardRules({ node1: [dropFrom("10.244.1.2")] }), { pod: "default/node1-pod1" }, { ip: "10.244.1.2", protocol: "icmp" });
    expect([replyDropped.forward.verdict.kind, replyDropped.reverse?.verdict.kind]).toEqual(["delivered", "filtered"]);
    expect(expectedReplies(replyDropped)).toBe("none");
    expect(compareWithProbe(replyDropped, probe([false, false]))).toMatchObject({ agree: true, message: "trace says delivered, reply filtered and the probe (icmp) got 0 of 2 replies" });
    expect(compareWithProbe(replyDropped, probe([true, true]))).toMatchObject({ agree: false, message: expect.stringContaining("passes where the trace says it cannot") });
  });

  it("expects no reply for a filtered request", () => {
    const filtered = trace(withForwardRules({ node1: [dropFrom("10.244.0.2")] }), { pod: "default/node1-pod1" }, { ip: "10.244.1.2", protocol: "icmp" });
    expect(compareWithProbe(filtered, probe([false]))).toMatchObject({ agree: true, expected: "none", message: "trace says filtered and the probe (icmp) got 0 of 1 replies" });
  });

  it("agrees with either outcome when the path hangs on a rule the trace cannot decide, and says which way the probe found it went", () => {
    const uncertain = trace(withForwardRules({ node1: [randomDrop] }), { pod: "default/node1-pod1" }, { ip: "10.244.1.2", protocol: "icmp" });
    expect(uncertain.forward.verdict.kind).toBe("uncertain");
    expect(expectedReplies(uncertain)).toBe("either");
    expect(compareWithProbe(uncertain, probe([true, false]))).toMatchObject({ agree: true, message: "trace says uncertain, reply uncertain and the probe (icmp) got 1 of 2 replies: the rules the trace could not decide let it pass" });
    expect(compareWithProbe(uncertain, probe([false, false]))).toMatchObject({ agree: true, message: expect.stringMatching(/could not decide stopped it/) });
    // Uncertain on the way there but stopped for sure on the way back: no reply either way.
    const stoppedBack = trace(withForwardRules({ node1: [randomDrop, dropFrom("10.244.1.2")] }), { pod: "default/node1-pod1" }, { ip: "10.244.1.2", protocol: "icmp" });
    expect([stoppedBack.forward.verdict.kind, stoppedBack.reverse?.verdict.kind]).toEqual(["uncertain", "filtered"]);
    expect(expectedReplies(stoppedBack)).toBe("none");
  });
});
