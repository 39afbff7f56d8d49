import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeSnapshot, LinkIndex } from "@netatlas/core";
import { run } from "@netatlas/linux";
import { createCniNode, uniquePrefix, type CniNode } from "@netatlas/linux/testing";

const bin = new URL("../bin/netatlas-agent.cjs", import.meta.url).pathname;

function agent(...args: string[]) {
  return spawnSync("node", [bin, ...args], { encoding: "utf8", timeout: 60_000 });
}

// The CLI as installed: bin/ runs the built dist (tools/run/setup.sh builds it).
describe("netatlas-agent CLI", () => {
  beforeAll(() => {
    if (!existsSync(new URL("../dist/bundle/cli.cjs", import.meta.url))) throw new Error("apps/agent is not built; run `npm run build` (tools/run/setup.sh does)");
  });

  it("prints help and exits 0", () => {
    const r = agent("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("snapshot");
    expect(r.stdout).toContain("schema");
  });

  it("rejects an unknown flag and a bad value with exit code 2 and a message naming them", () => {
    const unknown = agent("snapshot", "--bogus");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const bad = agent("snapshot", "--reader", "magic");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("argument 'magic' is invalid");
    expect(agent("frobnicate").status).toBe(2);
  });

  it("prints the snapshot JSON Schema", () => {
    const r = agent("schema");
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.title).toBe("netatlas NodeSnapshot");
    expect(schema.properties.schemaVersion).toBeDefined();
  });
});

// Needs root: pods attached by the real CNI bridge plugin, removed after.
describe("netatlas-agent snapshot on namespaces made by the real CNI bridge plugin", () => {
  let cni: CniNode;
  beforeAll(async () => {
    cni = await createCniNode(uniquePrefix("naagent"), { pods: 3, vxlan: true });
  }, 30_000);
  afterAll(async () => cni?.destroy());

  it("--json lists every namespace, link, address and route ip -j shows, every veth paired", async () => {
    const r = agent("snapshot", "--json");
    expect(r.status, r.stderr).toBe(0);
    const snapshot = NodeSnapshot.parse(JSON.parse(r.stdout));
    const index = new LinkIndex(snapshot.links);
    for (const name of cni.all) {
      const ns = snapshot.namespaces.find((n) => n.names.includes(name));
      expect(ns, name).toBeDefined();
      const count = async (...args: string[]) => (JSON.parse((await run(["ip", "-n", name, "-j", ...args])).stdout || "[]") as unknown[]).length;
      expect(snapshot.links.filter((l) => l.netns === ns!.id)).toHaveLength(await count("link", "show"));
      expect(snapshot.routes.filter((l) => l.netns === ns!.id)).toHaveLength(await count("route", "show", "table", "all"));
      const addrs = JSON.parse((await run(["ip", "-n", name, "-j", "addr", "show"])).stdout) as Array<{ addr_info: unknown[] }>;
      expect(snapshot.addresses.filter((a) => a.netns === ns!.id)).toHaveLength(addrs.reduce((n, l) => n + l.addr_info.length, 0));
      for (const veth of snapshot.links.filter((l) => l.netns === ns!.id && l.kind === "veth")) expect(index.peerOf(veth), `${name}/${veth.name}`).toBeDefined();
    }
  });

  it("explains each pod's eth0@ifN as a port of cni0 in the human-readable view", () => {
    const r = agent("snapshot");
    expect(r.status, r.stderr).toBe(0);
    for (const pod of cni.pods) expect(r.stdout).toMatch(new RegExp(`  ${pod} \\[named\\]`));
    expect(r.stdout).toMatch(/eth0@if\d+ +veth +UP .*peer veth[0-9a-f]+ in .*-node \(on cni0\)/);
    expect(r.stdout).toContain(`namespace ${cni.leaked} has no process`);
  });
});
