import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverNamespaces, run } from "../src/index.js";
import { uniquePrefix } from "../src/testing/index.js";

// Needs root: creates namespaces named with a unique prefix and removes them after.
describe("namespace discovery", () => {
  const prefix = uniquePrefix("nadisc");
  const named = `${prefix}-a`;
  let holder: ChildProcess;

  beforeAll(async () => {
    await run(["ip", "netns", "add", named]);
    // A namespace held only by a process, as a container runtime leaves it.
    holder = spawn("unshare", ["--net", "--", "sleep", "300"], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 200));
  });

  afterAll(async () => {
    if (holder.pid) process.kill(holder.pid, "SIGKILL");
    await run(["ip", "netns", "delete", named]).catch(() => undefined);
  });

  it("finds named, process-held and host namespaces, keyed by inode, and says where it found each", async () => {
    const found = await discoverNamespaces();
    const namedNs = found.find((n) => n.names.includes(named));
    expect(namedNs).toMatchObject({ id: statSync(`/var/run/netns/${named}`).ino, processes: [], host: false, dockerSandbox: false, enterPath: `/var/run/netns/${named}` });

    const held = found.find((n) => n.processes.some((p) => p.pid === holder.pid));
    expect(held).toMatchObject({ names: [], host: false, dockerSandbox: false });
    expect(held?.processes.find((p) => p.pid === holder.pid)?.comm).toBe("sleep");
    expect(held?.enterPath).toMatch(/^\/proc\/\d+\/ns\/net$/);

    const hosts = found.filter((n) => n.host);
    expect(hosts).toHaveLength(1);
    expect(hosts[0]?.names[0]).toBe("host");
    expect(new Set(found.map((n) => n.id)).size).toBe(found.length);
  });

  it("skips a leftover file whose namespace mount is gone", async () => {
    const dir = await import("node:fs/promises").then((fs) => fs.mkdtemp("/tmp/netatlas-netns-"));
    await import("node:fs/promises").then((fs) => fs.writeFile(`${dir}/stale`, ""));
    const found = await discoverNamespaces({ netnsDir: dir });
    expect(found.some((n) => n.names.includes("stale"))).toBe(false);
    await import("node:fs/promises").then((fs) => fs.rm(dir, { recursive: true }));
  });
});
