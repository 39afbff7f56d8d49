import type { ProbeResult } from "@netatlas/agent-api";
import type { ReachabilityCell } from "@netatlas/core";
import { describe, expect, it } from "vitest";
import { verifyCells } from "./verify-cells";

const endpoint = (node: string, ip: string) => ({ node, kind: "pod" as const, name: `default/${node}-pod`, netns: 4026532000, ip });
const cell = (from: string, to: string, over: Partial<ReachabilityCell> = {}): ReachabilityCell => ({ from, to, state: "delivered", verdict: "delivered", message: `${from} reaches ${to}`, source: endpoint(from, "10.244.0.2"), destination: endpoint(to, "10.244.1.2"), ...over });
const replies = (n: number): ProbeResult => ({ node: "n", netns: 1, target: "10.244.1.2", protocol: "icmp", attempts: Array.from({ length: 2 }, (_, i) => ({ ok: i < n })) });

describe("verifying cells with real probes", () => {
  it("probes at most `concurrency` cells at a time and keeps the cells' order", async () => {
    let running = 0;
    let most = 0;
    const cells = Array.from({ length: 30 }, (_, i) => cell(`node${i}`, "node99"));
    const results = await verifyCells(
      cells,
      async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return replies(2);
      },
      { concurrency: 8 },
    );
    expect(most).toBe(8);
    expect(results.map((r) => r.from)).toEqual(cells.map((c) => c.from));
    expect(results.every((r) => r.agree === true)).toBe(true);
  });

  it("sends nothing for a cell without an endpoint or with an IPv6 destination, and says why", async () => {
    const sent: string[] = [];
    const results = await verifyCells(
      [
        cell("node1", "node2", { state: "no-endpoint", verdict: "unknown-destination", message: "node2 has no running pod or container with an address to stand for it", destination: undefined }),
        cell("node1", "node3", { destination: endpoint("node3", "fd00::3") }),
      ],
      (pair) => (sent.push(pair.to), Promise.resolve(replies(2))),
      { concurrency: 8, now: () => 7 },
    );
    expect(sent).toEqual([]);
    expect(results).toEqual([
      { from: "node1", to: "node2", state: "no-endpoint", probe: { outcome: "refused", reason: "node2 has no running pod or container with an address to stand for it" }, agree: null, message: "not probed: node2 has no running pod or container with an address to stand for it", at: 7 },
      expect.objectContaining({ to: "node3", probe: { outcome: "refused", reason: "default/node3-pod has only the IPv6 address fd00::3; the agent probes IPv4 addresses only" } }),
    ]);
  });

  it("holds each answer against the state: an uncertain cell agrees with either, a failed one that gets replies disagrees", async () => {
    const [uncertain, failed, down] = await verifyCells(
      [cell("a", "b", { state: "uncertain", verdict: "uncertain" }), cell("a", "c", { state: "failed", verdict: "no-route" }), cell("a", "d")],
      (pair) => (pair.to === "d" ? Promise.reject(new Error("agent a could not probe: connect ECONNREFUSED")) : Promise.resolve(replies(pair.to === "b" ? 0 : 1))),
      { concurrency: 2 },
    );
    expect(uncertain).toMatchObject({ agree: true, probe: { outcome: "no-reply" }, message: expect.stringContaining("the rules the trace could not decide stopped it") });
    expect(failed).toMatchObject({ agree: false, probe: { outcome: "replies", replies: 1, attempts: 2 } });
    expect(down).toMatchObject({ agree: null, probe: { outcome: "refused", reason: "agent a could not probe: connect ECONNREFUSED" } });
  });
});
