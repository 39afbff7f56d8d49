import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { run } from "@netatlas/linux";
import { uniquePrefix, waitFor } from "@netatlas/linux/testing";
import { down, loadState } from "../src/index.js";
import { leftovers, removeLab, testRunDir } from "./support.js";

const cli = new URL("../bin/netatlas-lab.js", import.meta.url).pathname;

describe("netatlas-lab down", () => {
  it("removes a lab whose `up` was killed half-way, and is harmless when repeated", async () => {
    const prefix = uniquePrefix("lc");
    const runDir = testRunDir(prefix);
    const child = spawn(process.execPath, [cli, "up", "--prefix", prefix, "--run-dir", runDir, "--nodes", "2", "--pods", "3", "--no-agents"], { stdio: "ignore" });
    try {
      // Kill it once the first pod exists: nodes, namespaces and processes are half made.
      await waitFor("a pod to exist", () => (loadState(runDir)?.nodes.some((n) => n.pods.length > 0) ? true : undefined), 20_000);
      child.kill("SIGKILL");
      expect((await leftovers(prefix, runDir)).length).toBeGreaterThan(0);
    } finally {
      child.kill("SIGKILL");
      await down(prefix, runDir, () => undefined);
    }
    expect(await leftovers(prefix, runDir)).toEqual([]);
    await removeLab({ prefix, runDir });
    expect(await leftovers(prefix, runDir)).toEqual([]);
  }, 60_000);

  it("says what is wrong with bad input and exits 2", async () => {
    const result = await run([process.execPath, cli, "up", "--nodes", "0"], { okCodes: [2] });
    expect(result.stderr).toMatch(/--nodes must be a whole number from 1 to 50/);
    const backend = await run([process.execPath, cli, "up", "--backend", "flannel"], { okCodes: [2] });
    expect(backend.stderr).toMatch(/--backend.*flannel.*vxlan, host-gw, none/s);
  });

  it("says there is no lab for status of an unknown prefix", async () => {
    const result = await run([process.execPath, cli, "status", "--prefix", "nosuchlab", "--run-dir", "/nonexistent/lab"], { okCodes: [1] });
    expect(result.stderr).toMatch(/no lab with prefix "nosuchlab"/);
  });
});
