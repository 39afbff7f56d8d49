import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_FAULTS, demoHints } from "./demo-faults";

describe("the demo's fault hints", () => {
  it("name exactly the lab's faults (tools/lab/src/faults.ts), each with somewhere to look", () => {
    const source = readFileSync(new URL("../../../../tools/lab/src/faults.ts", import.meta.url), "utf8");
    const kinds = /FAULT_KINDS = \[([^\]]+)\]/.exec(source)?.[1]?.match(/"[^"]+"/g)?.map((k) => JSON.parse(k) as string);
    expect(kinds?.length).toBeGreaterThan(0);
    expect(DEMO_FAULTS.map((f) => f.kind)).toEqual(kinds);
    for (const fault of DEMO_FAULTS) expect(fault.where.length, fault.kind).toBeGreaterThan(0);
  });

  it("give each fault as the command for the demo's own lab", () => {
    const hints = demoHints("demo");
    expect(hints.faults[0]?.command).toBe("node tools/lab/bin/netatlas-lab.js fault delete-route --prefix demo");
    expect(hints.reset).toBe("node tools/lab/bin/netatlas-lab.js down --prefix demo && bash tools/run/demo.sh");
  });
});
