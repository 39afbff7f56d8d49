import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Op } from "@netatlas/core";
import { applyOps, run } from "../src/index.js";
import { uniquePrefix } from "../src/testing/index.js";
import { readBatch } from "./iproute2-batch-reader.js";

const reason = "test";
const ipJson = async (ns: string, ...args: string[]) => JSON.parse((await run(["ip", "-n", ns, "-j", ...args])).stdout || "[]") as Array<Record<string, unknown>>;

// Needs root: one namespace of its own with a veth as its underlay (no dummy module here), removed after the tests.
describe("applying ops in a namespace", () => {
  const ns = uniquePrefix("naapply");
  const path = `/var/run/netns/${ns}`;
  beforeAll(async () => {
    await run(["ip", "netns", "add", ns]);
    await run(["ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0-peer"]);
    await run(["ip", "-n", ns, "link", "set", "eth0-peer", "up"]);
    await run(["ip", "-n", ns, "addr", "add", "192.168.77.10/24", "dev", "eth0"]);
    await run(["ip", "-n", ns, "link", "set", "eth0", "up"]);
    await run(["ip", "-n", ns, "route", "add", "10.99.0.0/16", "via", "192.168.77.1", "proto", "static"]);
  });
  afterAll(() => run(["ip", "netns", "delete", ns]).catch(() => undefined));

  it("builds a VXLAN fabric in batches, marking what it owns, and leaves foreign routes alone", async () => {
    const ops: Op[] = [
      { op: "add-vxlan", name: "netatlas.1", vni: 1, port: 8472, local: "192.168.77.10", dev: "eth0", mtu: 1450, mac: "0e:00:00:00:00:01", reason },
      { op: "add-address", dev: "netatlas.1", cidr: "10.244.0.0/32", reason },
      { op: "set-up", name: "netatlas.1", reason },
      { op: "replace-neigh", address: "10.244.1.0", lladdr: "0e:00:00:00:00:02", dev: "netatlas.1", reason },
      { op: "add-fdb", mac: "0e:00:00:00:00:02", dev: "netatlas.1", dst: "192.168.77.11", reason },
      { op: "replace-route", dst: "10.244.1.0/24", via: "10.244.1.0", dev: "netatlas.1", onlink: true, reason },
      { op: "set-masquerade", source: "10.244.0.0/16", reason },
    ];
    const done: number[] = [];
    const results = await applyOps(ops, { netnsPath: path, afterBatch: (n) => void done.push(n) });
    expect(results.map((r) => r.status)).toEqual(ops.map(() => "applied"));
    expect(done).toEqual([4, 5, 6, 7]);
    const [vxlan] = await ipJson(ns, "-d", "link", "show", "netatlas.1");
    expect(vxlan).toMatchObject({ mtu: 1450, ifalias: "netatlas", address: "0e:00:00:00:00:01" });
    const routes = await ipJson(ns, "route", "show", "10.244.1.0/24");
    expect(routes).toMatchObject([{ gateway: "10.244.1.0", dev: "netatlas.1", protocol: "157", flags: ["onlink"] }]);
    const fdb = JSON.parse((await run(["bridge", "-n", ns, "-j", "fdb", "show", "dev", "netatlas.1"])).stdout) as Array<Record<string, unknown>>;
    expect(fdb.some((f) => f.mac === "0e:00:00:00:00:02" && f.dst === "192.168.77.11")).toBe(true);
    const nft = (await run(["ip", "netns", "exec", ns, "nft", "list", "table", "ip", "netatlas"])).stdout;
    expect(nft).toMatch(/ip saddr 10\.244\.0\.0\/16 ip daddr != 10\.244\.0\.0\/16 counter packets \d+ bytes \d+ masquerade/);
    expect(await ipJson(ns, "route", "show", "10.99.0.0/16")).toMatchObject([{ protocol: "static" }]);
  });

  it("stops at the first failing op, says why, and skips the rest", async () => {
    const ops: Op[] = [
      { op: "replace-route", dst: "10.250.1.0/24", via: "192.168.77.2", dev: "eth0", onlink: false, reason },
      { op: "replace-route", dst: "10.250.2.0/24", via: "192.168.77.3", dev: "nosuchdev", onlink: false, reason },
      { op: "replace-route", dst: "10.250.3.0/24", via: "192.168.77.4", dev: "eth0", onlink: false, reason },
      { op: "set-masquerade", source: "10.250.0.0/16", reason },
    ];
    const results = await applyOps(ops, { netnsPath: path });
    expect(results.map((r) => r.status)).toEqual(["applied", "failed", "skipped", "skipped"]);
    expect(results[1]?.error).toMatch(/Cannot find device "nosuchdev"/);
    expect(await ipJson(ns, "route", "show", "10.250.1.0/24")).toHaveLength(1);
    expect(await ipJson(ns, "route", "show", "10.250.3.0/24")).toHaveLength(0);
  });

  it("refuses an argument with whitespace rather than let the batch split it", async () => {
    const op: Op = { op: "set-up", name: "eth0 down", reason };
    expect(await applyOps([op], { netnsPath: path })).toMatchObject([{ status: "failed", error: expect.stringMatching(/whitespace/) }]);
    expect((await ipJson(ns, "link", "show", "eth0"))[0]?.flags).toContain("UP");
  });

  it("reads '#' in a batch line as a comment, as the port of iproute2's reader says: a route without onlink or netatlas's protocol", async () => {
    const line = "route replace 10.250.9.0/24 via 192.168.77.5 dev eth0#x onlink proto 157";
    expect(readBatch(`${line}\n`)).toEqual([["route", "replace", "10.250.9.0/24", "via", "192.168.77.5", "dev", "eth0"]]);
    await run(["ip", "-n", ns, "-batch", "-"], { input: `${line}\n` });
    const [route] = await ipJson(ns, "route", "show", "10.250.9.0/24");
    // ip -j leaves out the default protocol (boot): not netatlas's 157, so never seen as its own.
    expect(route).toMatchObject({ dev: "eth0" });
    expect(route?.protocol).toBeUndefined();
    expect(route?.flags ?? []).not.toContain("onlink");
  });

  it("refuses a plan with an op whose name holds '#' before running any of it", async () => {
    const ops: Op[] = [
      { op: "replace-route", dst: "10.250.7.0/24", via: "192.168.77.2", dev: "eth0", onlink: false, reason },
      { op: "replace-route", dst: "10.250.8.0/24", via: "10.250.8.1", dev: "eth0#x", onlink: true, reason },
    ];
    const results = await applyOps(ops, { netnsPath: path });
    expect(results.map((r) => r.status)).toEqual(["skipped", "failed"]);
    expect(results[1]?.error).toMatch(/"eth0#x" holds '#'.*nothing of the plan was applied/);
    expect(await ipJson(ns, "route", "show", "10.250.7.0/24")).toHaveLength(0);
    expect(await ipJson(ns, "route", "show", "10.250.8.0/24")).toHaveLength(0);
  });

  it("leaves a kernel link named with '#' and its look-alike alone rather than delete the look-alike", async () => {
    // argv, not a batch: the kernel takes '#' in a name.
    await run(["ip", "-n", ns, "link", "add", "va", "type", "veth", "peer", "name", "va#1"]);
    const results = await applyOps([{ op: "del-link", name: "va#1", reason }], { netnsPath: path });
    expect(results).toMatchObject([{ status: "failed", error: expect.stringMatching(/cannot write "ip link del va#1"/) }]);
    expect((await ipJson(ns, "link", "show")).map((l) => l.ifname)).toEqual(expect.arrayContaining(["va", "va#1"]));
  });
});
