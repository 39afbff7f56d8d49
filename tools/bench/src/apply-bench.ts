import type { Op } from "@netatlas/core";
import { applyOps, run } from "@netatlas/linux";
import { formatRatios, timeMedian, type Measurement } from "./measure.js";

/** A namespace with an up veth as the routes' device, gateway 10.0.0.2 on its subnet. */
async function routeNamespace(name: string): Promise<void> {
  await run(["ip", "netns", "add", name]);
  const ip = (...args: string[]) => run(["ip", "-n", name, ...args]);
  await ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth0-peer");
  await ip("addr", "add", "10.0.0.1/24", "dev", "eth0");
  await ip("link", "set", "eth0-peer", "up");
  await ip("link", "set", "eth0", "up");
}

const destination = (i: number) => `10.${100 + Math.floor(i / 256)}.${i % 256}.0/24`;

/**
 * Issue 6's apply benchmark: `routes` routes put into a namespace by applyOps
 * (a plan's ops, batched) against one hand-written `ip -batch` of the same routes,
 * each run on an emptied table, in the same run.
 */
export async function applyBenchmark(options: { routes: number; runs: number }): Promise<boolean> {
  const netns = `nabenchapply${process.pid}`;
  await routeNamespace(netns);
  try {
    const flush = () => run(["ip", "-n", netns, "route", "flush", "proto", "157"]);
    const lines = Array.from({ length: options.routes }, (_, i) => `route replace ${destination(i)} via 10.0.0.2 dev eth0 proto 157`).join("\n");
    const ops: Op[] = Array.from({ length: options.routes }, (_, i) => ({ op: "replace-route", dst: destination(i), via: "10.0.0.2", dev: "eth0", onlink: false, reason: "bench" }));
    const rows: Measurement[] = [
      await timeMedian(`ip -batch of ${options.routes} routes (baseline)`, options.runs, async () => {
        await flush();
        await run(["ip", "-n", netns, "-batch", "-"], { input: `${lines}\n` });
      }),
      await timeMedian(`applyOps of ${options.routes} replace-route ops`, options.runs, async () => {
        await flush();
        const results = await applyOps(ops, { netnsPath: `/run/netns/${netns}` });
        if (results.some((r) => r.status !== "applied")) throw new Error(`applyOps failed: ${results.find((r) => r.status !== "applied")?.error}`);
      }),
    ];
    const count = (JSON.parse((await run(["ip", "-n", netns, "-j", "route", "show", "proto", "157"])).stdout) as unknown[]).length;
    if (count !== options.routes) throw new Error(`expected ${options.routes} routes after applyOps, found ${count}`);
    // Each row includes the flush; the same in both, so the ratio is conservative.
    console.log(formatRatios(`\napplying ${options.routes} routes in one namespace, ${options.runs} runs each, median (including a flush)`, rows));
    const [base, ours] = rows as [Measurement, Measurement];
    const met = ours.ms <= 1.3 * base.ms && ours.ms < 1000;
    console.log(`target (at most 1.3x the ip -batch and under 1 s): ${met ? "met" : "NOT met"}`);
    return met;
  } finally {
    await run(["ip", "netns", "delete", netns]).catch(() => undefined);
  }
}
