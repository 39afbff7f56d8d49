import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadState, stateFile } from "./state.js";

describe("loadState", () => {
  it("reads a state file from before brownfield fabrics as netatlas's fabric", () => {
    const runDir = mkdtempSync(join(tmpdir(), "netatlas-lab-state-"));
    try {
      const old = { prefix: "old", runDir, backend: "host-gw", podCidr: "10.244.0.0/16", underlay: { netns: "old-underlay", cidr: "192.168.50.0/24", gateway: "192.168.50.1" }, tokenFile: join(runDir, "tokens"), nodes: [] };
      writeFileSync(stateFile(runDir), JSON.stringify(old));
      expect(loadState(runDir)).toMatchObject({ fabric: "netatlas", backend: "host-gw" });
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
