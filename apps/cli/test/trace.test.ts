import { describe, expect, it } from "vitest";
import { useFakeFleet } from "./fake-fleet.js";
import { fleetAnswers, noRouteTrace } from "./fleet-answers.js";

describe("netatlas trace", () => {
  const fleet = useFakeFleet();

  describe("trace", () => {
    it("prints the hops of a delivered trace and exits 0", async () => {
      const r = await fleet.cli(["trace", "node1-pod1", "10.244.2.3"]);
      expect(r).toMatchObject({ code: 0, stderr: "" });
      expect(r.stdout).toMatch(/3\s+node2\s+node2-pod1\s+deliver/);
      expect(fleet.called("trace.run").at(-1)?.input).toEqual({ source: "node1-pod1", destination: "10.244.2.3", protocol: "icmp" });
    });

    it("exits 1 when the packet is not delivered, with the deciding hop on stderr", async () => {
      fleet.answers.trace = noRouteTrace;
      try {
        const r = await fleet.cli(["trace", "node1-pod1", "10.244.2.3", "-o", "json"]);
        expect(r.code).toBe(1);
        expect(JSON.parse(r.stdout).forward.verdict.kind).toBe("no-route");
        expect(r.stderr).toBe("netatlas: not delivered: no-route at hop 2 (node1 host, route: (no route)): node1's host has no route to 10.244.2.3\n");
      } finally {
        fleet.answers.trace = fleetAnswers().trace;
      }
    });

    it("with --verify prints the hops and the probe's answer, as json too", async () => {
      const r = await fleet.cli(["trace", "node1-pod1", "10.244.2.3", "--verify", "-o", "json"]);
      expect(r.code).toBe(0);
      const answer = JSON.parse(r.stdout);
      expect(answer.trace.forward.hops).toHaveLength(3);
      expect(answer.probe.attempts.filter((a: { ok: boolean }) => a.ok)).toHaveLength(3);
      expect((await fleet.cli(["trace", "node1-pod1", "10.244.2.3", "--verify"])).stdout).toMatch(/node1 sent 3 icmp probes to 10\.244\.2\.3: 3 replied, rtt 0\.30 ms/);
    });

    it("exits 1 when the trace says delivered but the probe gets no reply", async () => {
      fleet.answers.probe = { ...fleet.answers.probe, attempts: [{ ok: false, error: "timeout" }] };
      try {
        const r = await fleet.cli(["trace", "node1-pod1", "10.244.2.3", "--verify"]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("the probe from node1 got no reply");
      } finally {
        fleet.answers.probe = fleetAnswers().probe;
      }
    });

    it("turns --port into a tcp trace, and names each wrong trace flag with exit 2", async () => {
      await fleet.cli(["trace", "a", "10.244.2.3", "--port", "8080"]);
      expect(fleet.called("trace.run").at(-1)?.input).toEqual({ source: "a", destination: "10.244.2.3", protocol: "tcp", port: 8080 });
      const calls = fleet.dashboard.calls.length;
      expect((await fleet.cli(["trace", "a", "b", "--port", "0"])).stderr).toBe("netatlas: --port: must be at least 1\n");
      expect((await fleet.cli(["trace", "a", "b", "--port", "http"])).stderr).toBe("netatlas: --port: must be a whole number\n");
      expect((await fleet.cli(["trace", "a", "b", "--protocol", "tcp"])).stderr).toBe("netatlas: --port: a tcp trace needs a port\n");
      expect((await fleet.cli(["trace", "a", "b", "--protocol", "icmp", "--port", "80"])).stderr).toContain("--port: icmp has no port");
      expect((await fleet.cli(["trace", "a", "b", "--protocol", "udp"])).stderr).toBe("netatlas: --port: a udp trace needs a port\n");
      expect((await fleet.cli(["trace", "a", "b", "--protocol", "udp", "--port", "53", "--verify"])).stderr).toContain("--verify: the agents probe with icmp or tcp");
      expect((await fleet.cli(["trace", "a", "b", "--size", "20"])).stderr).toContain("--size: must be at least 28");
      expect(await fleet.cli(["trace", "a"])).toMatchObject({ code: 2, stderr: expect.stringContaining("missing required argument 'DST'") });
      expect(fleet.dashboard.calls.length).toBe(calls);
      expect((await fleet.cli(["trace", "a", "b", "--port", "0"])).code).toBe(2);
    });

    it("traces udp to a port and packets of a given size", async () => {
      await fleet.cli(["trace", "a", "10.244.2.3", "--protocol", "udp", "--port", "53"]);
      expect(fleet.called("trace.run").at(-1)?.input).toEqual({ source: "a", destination: "10.244.2.3", protocol: "udp", port: 53 });
      await fleet.cli(["trace", "a", "10.244.2.3", "--size", "1500"]);
      expect(fleet.called("trace.run").at(-1)?.input).toEqual({ source: "a", destination: "10.244.2.3", protocol: "icmp", packetSize: 1500 });
    });

    it("passes on the dashboard's BAD_REQUEST as exit 2 with its field", async () => {
      expect(await fleet.cli(["trace", "nowhere", "10.244.2.3"])).toMatchObject({ code: 2, stderr: 'netatlas: source: no pod, container or namespace is called "nowhere"\n' });
    });
  });
});
