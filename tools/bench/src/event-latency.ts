import { setTimeout as sleep } from "node:timers/promises";
import type { AgentEvent } from "@netatlas/core";
import { run } from "@netatlas/linux";
import { median, type Measurement } from "./measure.js";
import type { ServingAgent } from "./serving-agent.js";
import { watchLines } from "./line-watch.js";

/** Events from the agent's subscription, timed on arrival, waited for by a substring of their subject. */
function watchEvents(agent: ServingAgent) {
  const waiters: Array<{ needle: string; resolve: (at: number) => void }> = [];
  let started: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const sub = agent.client.events.subscribe(undefined, {
    onStarted: () => started(),
    onData: (e) => {
      const at = performance.now();
      const event = e.data as AgentEvent;
      for (const w of waiters.filter((x) => event.kind === "route" && event.action === "added" && event.subject.includes(x.needle))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(at);
      }
    },
  });
  return {
    ready,
    next: (needle: string, timeoutMs = 10_000) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no route event for ${needle} from the agent within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ needle, resolve: (at) => (clearTimeout(timer), resolve(at)) });
      }),
    stop: () => sub.unsubscribe(),
  };
}

/**
 * Event latency: `ip route add` in a watched pod namespace, timed from just
 * before the command starts to the moment the change arrives (a) as an event on
 * a client's agent-api subscription and (b), the baseline, as a line printed by
 * `ip monitor route` in that namespace. Both see the same changes; medians of `changes`.
 */
export async function eventLatencyRows(agent: ServingAgent, podNetns: string, changes: number): Promise<Measurement[]> {
  const monitor = watchLines(["ip", "-n", podNetns, "monitor", "route"]);
  const events = watchEvents(agent);
  const agentMs: number[] = [];
  const monitorMs: number[] = [];
  try {
    await events.ready;
    // ip monitor has no "listening" signal; give it a moment to bind before the first change.
    await sleep(300);
    // Change 0 warms both up (the subscription connects, the monitor starts) and is not counted.
    for (let i = 0; i <= changes; i++) {
      const dst = `10.99.${i}.0/24`;
      const arrivals = Promise.all([events.next(dst), monitor.next(dst)]);
      const start = performance.now();
      await run(["ip", "-n", podNetns, "route", "add", dst, "dev", "eth0"]);
      const [byAgent, byMonitor] = await arrivals;
      if (i > 0) {
        agentMs.push(byAgent - start);
        monitorMs.push(byMonitor - start);
      }
    }
  } finally {
    events.stop();
    monitor.stop();
  }
  return [
    { label: `ip monitor route prints it (baseline; median of ${changes})`, ms: median(monitorMs) },
    { label: `event on an agent-api subscription (median of ${changes}; max ${Math.max(...agentMs).toFixed(1)} ms)`, ms: median(agentMs) },
  ];
}
