import { describe, expect, it } from "vitest";
import { useFakeFleet } from "./fake-fleet.js";

describe("netatlas reading the fleet", () => {
  const fleet = useFakeFleet();

  describe("reading the fleet", () => {
    it("prints nodes as a table, and the dashboard's rows as json and yaml", async () => {
      const table = await fleet.cli(["nodes"]);
      expect(table.code).toBe(0);
      expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+STATUS\s+SNAPSHOT\s+PODS\s+CONTAINERS\s+FINDINGS\s+ERROR$/);
      expect(table.stdout).toMatch(/node1\s+up\s+2 s\s+2\s+0\s+1 error, 2 warning/);
      expect(table.stdout).not.toContain("KERNEL");
      expect((await fleet.cli(["nodes", "-o", "wide"])).stdout).toMatch(/KERNEL[\s\S]*6\.1\.0/);
      expect(JSON.parse((await fleet.cli(["nodes", "-o", "json"])).stdout)).toEqual(fleet.answers.overview.rows);
      expect((await fleet.cli(["nodes", "-o", "yaml"])).stdout).toContain("- name: node1\n");
    });

    it("fits a table to the terminal's width, cutting long cells with …", async () => {
      const r = await fleet.cli(["findings"], { terminalColumns: 60, env: { ...fleet.env, NO_COLOR: "1" } });
      const lines = r.stdout.trimEnd().split("\n");
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(60);
      expect(r.stdout).toContain("…");
      // Into a pipe nothing is cut: grep sees whole messages.
      expect((await fleet.cli(["findings"])).stdout).toContain("node1 has no route to node2's pod subnet 10.244.2.0/24");
    });

    it("colours only a terminal, and not with NO_COLOR", async () => {
      expect((await fleet.cli(["nodes"], { terminalColumns: 200 })).stdout).toContain("\x1b[32mup\x1b[39m");
      expect((await fleet.cli(["nodes"], { terminalColumns: 200, env: { ...fleet.env, NO_COLOR: "1" } })).stdout).not.toContain("\x1b[");
      expect((await fleet.cli(["nodes"])).stdout).not.toContain("\x1b[");
    });

    it("filters findings by node and by severity (that one or worse)", async () => {
      const r = await fleet.cli(["findings", "--severity", "error", "-o", "json"]);
      expect(JSON.parse(r.stdout).map((f: { code: string }) => f.code)).toEqual(["missing-peer-route"]);
      expect(fleet.called("fleet.findings").at(-1)?.input).toBeUndefined();
      await fleet.cli(["findings", "--node", "node2"]);
      expect(fleet.called("fleet.findings").at(-1)?.input).toEqual({ node: "node2" });
    });

    it("exits 1 for --fail-on error when a finding is that bad, and 0 when none is", async () => {
      const failing = await fleet.cli(["findings", "--fail-on", "error"]);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toContain("missing-peer-route");
      expect(failing.stderr).toBe("netatlas: 1 finding(s) of severity error or worse (--fail-on error)\n");
      expect((await fleet.cli(["findings", "--fail-on", "critical"])).code).toBe(0);
      expect((await fleet.cli(["findings", "--node", "node2", "--fail-on", "error"])).code).toBe(0);
    });

    it("lists pods with whether their sandbox lives", async () => {
      const r = await fleet.cli(["pods"]);
      expect(r.stdout).toMatch(/node1\s+default\s+node1-pod2\s+sandbox dead\s+10\.244\.1\.3/);
    });

    it("rejects bad flags with exit 2, naming them, before asking the dashboard", async () => {
      const calls = fleet.dashboard.calls.length;
      expect(await fleet.cli(["findings", "--severity", "bad"])).toMatchObject({ code: 2, stderr: expect.stringContaining("argument 'bad' is invalid") });
      expect(await fleet.cli(["pods", "--node", "-x"])).toMatchObject({ code: 2 });
      expect(await fleet.cli(["pods", "--node", "no/de"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--node: a node name has") });
      expect(await fleet.cli(["nodes", "-o", "xml"])).toMatchObject({ code: 2, stderr: expect.stringContaining("Allowed choices are table, wide, json, yaml") });
      expect(await fleet.cli(["audit", "--limit", "0"])).toMatchObject({ code: 2, stderr: "netatlas: --limit: must be at least 1\n" });
      expect(await fleet.cli(["audit", "--from", "yesterday"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--from: must be a date and time") });
      expect(await fleet.cli(["frobnicate"])).toMatchObject({ code: 2 });
      expect(fleet.dashboard.calls.length).toBe(calls);
    });

    it("documents the exit codes in --help", async () => {
      const r = await fleet.cli(["--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*trace not delivered[\s\S]*\n\s+2 .*bad input/);
    });
  });
  describe("matrix", () => {
    it("draws the reachability matrix, with what failed below it", async () => {
      const r = await fleet.cli(["matrix"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/FROM \\ TO\s+node1\s+node2\nnode1\s+ok\s+FAIL\nnode2\s+ok\s+-\n/);
      expect(r.stdout).toContain("node1 -> node2: failed: node1's host has no route to 10.244.2.3");
    });

    it("says plainly when the dashboard is older than the reachability matrix", async () => {
      const r = await fleet.cli(["matrix", "--context", "older"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("this dashboard is older than the reachability matrix");
    });
  });
  describe("drift and audit", () => {
    it("shows each node's drift and the ops a repair would run", async () => {
      const r = await fleet.cli(["drift"]);
      expect(r.stdout).toMatch(/node1\s+observe\s+kept\s+1 op\s+2 min/);
      expect(r.stdout).toContain("ip route replace 10.244.2.0/24 via 192.168.50.12 dev eth0");
    });

    it("passes the audit filters on", async () => {
      const r = await fleet.cli(["audit", "--action", "apply", "--from", "2026-01-01T00:00:00Z", "--limit", "5", "-o", "wide"]);
      expect(r.stdout).toMatch(/2026-01-31T12:01:00\.000Z\s+admin\s+apply\s+fleet\s+\{"planSet":7\}/);
      expect(fleet.called("audit.list").at(-1)?.input).toEqual({ action: "apply", from: "2026-01-01T00:00:00Z", limit: 5 });
    });
  });
});
