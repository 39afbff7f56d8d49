import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredNames, decodeKernelChange, readNamespaceNetlinkSync, readNetnsIds, run, subscribeRtnetlink, type KernelChange, type NotificationBatch, type RtnetlinkSubscription } from "../src/index.js";
import { loadNetlinkAddon } from "../src/netlink/addon.js";
import { uniquePrefix, waitFor } from "../src/testing/index.js";

const addon = loadNetlinkAddon();
const nsPath = (name: string) => `/var/run/netns/${name}`;

/** Everything a subscription hands over, kept for the test to search. */
function listen(options: { nsPath: string; receiveBufferBytes?: number }) {
  const batches: NotificationBatch[] = [];
  const subscription = subscribeRtnetlink((batch) => batches.push(batch), options);
  return { batches, subscription };
}

// Needs root and the addon: two namespaces of its own joined by a veth (so the second has an nsid in the first), removed after.
describe.skipIf(!addon && !process.env.CI)("rtnetlink notifications", () => {
  const prefix = uniquePrefix("nanote");
  const listener = `${prefix}-a`;
  const other = `${prefix}-b`;
  let otherNsid: number;
  const open: RtnetlinkSubscription[] = [];

  beforeAll(async () => {
    for (const ns of [listener, other]) await run(["ip", "netns", "add", ns]);
    await run(["ip", "-n", listener, "link", "set", "lo", "up"]);
    await run(["ip", "-n", listener, "link", "add", "to-b", "type", "veth", "peer", "name", "eth0", "netns", other]);
    await run(["ip", "-n", listener, "link", "set", "to-b", "up"]);
    await run(["ip", "-n", other, "link", "set", "eth0", "up"]);
    await run(["ip", "-n", other, "link", "add", "br0", "type", "bridge"]);
    [otherNsid] = (await readNetnsIds(nsPath(listener), [nsPath(other)])) as [number];
  }, 20_000);
  afterAll(async () => {
    for (const s of open) s.close();
    for (const ns of [listener, other]) await run(["ip", "netns", "delete", ns]).catch(() => undefined);
  });

  const changesOf = (batches: NotificationBatch[], nsid: number, ns: string): KernelChange[] => {
    const { linkTable } = readNamespaceNetlinkSync(nsPath(ns), 1);
    return batches.flatMap((b) => b.notifications.filter((n) => n.nsid === nsid).flatMap((n) => decodeKernelChange(n.message, 1, linkTable!, configuredNames()) ?? []));
  };

  it("hears a route added and deleted in a namespace with an nsid in ours, as the model's route and by that nsid", async () => {
    expect(otherNsid).toBeGreaterThanOrEqual(0);
    const { batches, subscription } = listen({ nsPath: nsPath(listener) });
    open.push(subscription);
    await run(["ip", "-n", other, "route", "add", "10.123.0.0/24", "dev", "eth0", "metric", "7"]);
    await run(["ip", "-n", other, "route", "del", "10.123.0.0/24", "dev", "eth0", "metric", "7"]);
    const routes = await waitFor("both route notifications", () => {
      const found = changesOf(batches, otherNsid, other).filter((c) => c.kind === "route" && c.entry.dst === "10.123.0.0/24");
      return found.length === 2 ? found : undefined;
    });
    expect(routes).toEqual([
      { kind: "route", removed: false, replace: false, entry: { netns: 1, family: 4, table: "main", type: "unicast", dst: "10.123.0.0/24", dev: "eth0", protocol: "boot", scope: "link", metric: 7, flags: [] } },
      expect.objectContaining({ kind: "route", removed: true }),
    ]);
    expect(batches.some((b) => b.overflow)).toBe(false);
  });

  it("marks a route that replaced another, and hears its own namespace's changes under nsid -1", async () => {
    const { batches, subscription } = listen({ nsPath: nsPath(listener) });
    open.push(subscription);
    await run(["ip", "-n", listener, "route", "add", "10.124.0.0/24", "dev", "to-b"]);
    await run(["ip", "-n", listener, "route", "replace", "10.124.0.0/24", "dev", "lo"]);
    const routes = await waitFor("the replacing route", () => {
      const found = changesOf(batches, -1, listener).filter((c) => c.kind === "route" && c.entry.dst === "10.124.0.0/24");
      return found.length === 2 ? found : undefined;
    });
    expect(routes.map((c) => c.kind === "route" && `${c.entry.dev} replace=${c.replace}`)).toEqual(["to-b replace=false", "lo replace=true"]);
  });

  it("decodes neighbours and FDB entries, and asks for a re-read on links and addresses", async () => {
    const { batches, subscription } = listen({ nsPath: nsPath(listener) });
    open.push(subscription);
    await run(["ip", "-n", other, "neigh", "add", "10.125.0.9", "lladdr", "02:00:00:00:00:09", "dev", "eth0", "nud", "permanent"]);
    await run(["bridge", "-n", other, "fdb", "add", "02:00:00:00:00:0a", "dev", "br0", "self", "permanent"]);
    await run(["ip", "-n", other, "addr", "add", "10.125.0.1/24", "dev", "eth0"]);
    await run(["ip", "-n", other, "link", "set", "br0", "mtu", "1400"]);
    const changes = await waitFor("the neighbour, FDB, address and link notifications", () => {
      const found = changesOf(batches, otherNsid, other);
      const kinds = new Set(found.map((c) => (c.kind === "reread" ? `reread ${c.cause}` : c.kind)));
      return ["neighbor", "fdb", "reread address", "reread link"].every((k) => kinds.has(k)) ? found : undefined;
    });
    // Each entry as notified is the entry as a dump reads it.
    const dumped = readNamespaceNetlinkSync(nsPath(other), 1).state;
    const neighbour = changes.find((c) => c.kind === "neighbor" && c.entry.address === "10.125.0.9");
    const fdb = changes.find((c) => c.kind === "fdb" && c.entry.mac === "02:00:00:00:00:0a");
    expect(neighbour).toEqual({ kind: "neighbor", removed: false, entry: dumped.neighbors.find((n) => n.address === "10.125.0.9") });
    expect(neighbour?.kind === "neighbor" && neighbour.entry.state).toEqual(["PERMANENT"]);
    expect(fdb).toEqual({ kind: "fdb", removed: false, entry: dumped.fdb.find((e) => e.mac === "02:00:00:00:00:0a") });
  });

  it("reports an overflow when its receive buffer fills while nobody reads, then goes on", async () => {
    const { batches, subscription } = listen({ nsPath: nsPath(listener), receiveBufferBytes: 4096 });
    open.push(subscription);
    // The event loop is held up while ip adds the routes, so nothing drains the small buffer meanwhile.
    const batch = Array.from({ length: 500 }, (_, i) => `route add 10.126.${Math.floor(i / 250)}.${i % 250}/32 dev eth0`).join("\n");
    const flood = spawnSync("ip", ["-n", other, "-batch", "-"], { input: `${batch}\n` });
    expect(flood.status).toBe(0);
    await waitFor("the overflow", () => batches.some((b) => b.overflow) || undefined);
    await run(["ip", "-n", other, "route", "add", "10.127.0.0/24", "dev", "eth0"]);
    await waitFor("a notification after the overflow", () => changesOf(batches, otherNsid, other).some((c) => c.kind === "route" && c.entry.dst === "10.127.0.0/24") || undefined);
  });

  it("hands over what is queued when flushed, before flush returns", () => {
    const { batches, subscription } = listen({ nsPath: nsPath(listener) });
    open.push(subscription);
    // spawnSync holds the event loop: only flush can deliver the notification before the test ends.
    expect(spawnSync("ip", ["-n", other, "route", "add", "10.129.0.0/24", "dev", "eth0"]).status).toBe(0);
    subscription.flush();
    expect(changesOf(batches, otherNsid, other).some((c) => c.kind === "route" && c.entry.dst === "10.129.0.0/24")).toBe(true);
  });

  it("stops calling after close, and refuses options of the wrong type", async () => {
    const { batches, subscription } = listen({ nsPath: nsPath(listener) });
    subscription.close();
    subscription.close();
    await run(["ip", "-n", listener, "route", "add", "10.128.0.0/24", "dev", "to-b"]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(batches).toEqual([]);
    expect(() => subscribeRtnetlink(() => undefined, { receiveBufferBytes: -1 })).toThrow(/receiveBufferBytes \(when given\) a positive integer/);
    expect(() => subscribeRtnetlink(() => undefined, { nsPath: "/nonexistent/netns" })).toThrow(/open \/nonexistent\/netns: No such file or directory/);
  });
});
