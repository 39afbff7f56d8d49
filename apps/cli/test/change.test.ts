import { describe, expect, it } from "vitest";
import type { FakeAnswers } from "./fake-dashboard.js";
import { useFakeFleet } from "./fake-fleet.js";

describe("netatlas changing the fleet, and the tokens that may", () => {
  const fleet = useFakeFleet();

  describe("tokens and roles", () => {
    it("lets a viewer's token read but not plan, apply or verify (403 FORBIDDEN, exit 1)", async () => {
      expect((await fleet.cli(["nodes", "--context", "viewer"])).code).toBe(0);
      for (const args of [["plan"], ["apply", "--plan-set", "7", "--yes"], ["trace", "a", "b", "--verify"]]) {
        const r = await fleet.cli(["--context", "viewer", ...args]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/403 FORBIDDEN: this needs the admin role; you are signed in as viewer/);
      }
      expect(fleet.called("reconcile.startApply")).toHaveLength(0);
    });

    it("says a revoked token is refused (401) and what to do", async () => {
      const r = await fleet.cli(["nodes", "--context", "revoked"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`netatlas: the dashboard at ${fleet.dashboard.url} refused the token of context "revoked" (401 UNAUTHORIZED: this token was revoked): it is unknown, expired or revoked; create a new one and run netatlas login again\n`);
    });

    it("says when the dashboard cannot be reached", async () => {
      const r = await fleet.cli(["nodes", "--context", "dead"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^netatlas: cannot reach the dashboard at ${fleet.deadUrl.replace(/[.]/g, "\\.")}: .*ECONNREFUSED`));
    });
  });
  describe("plan and apply", () => {
    it("plans and prints each node's ops with the command to apply them", async () => {
      const r = await fleet.cli(["plan"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("plan set 7: plan for spec version 3, made by admin");
      expect(r.stdout).toContain("ip route replace 10.244.1.0/24 via 192.168.50.11 dev eth0");
      expect(r.stdout).toMatch(/node3\s+unreachable\s+-\s+-\s+agent node3: connect ECONNREFUSED/);
      expect(r.stdout).toContain("netatlas apply --plan-set 7");
    });

    it("refuses to apply without a terminal to confirm on and without --yes (exit 2), changing nothing", async () => {
      const r = await fleet.cli(["apply", "--plan-set", "7"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--yes: stdin is not a terminal, so nobody can confirm "apply 3 ops on 2 nodes?"');
      expect(fleet.called("reconcile.startApply")).toHaveLength(0);
    });

    it("asks on a terminal and applies nothing unless the answer is yes", async () => {
      const no = await fleet.cli(["apply", "--plan-set", "7"], { stdin: { tty: "n" } });
      expect(no.code).toBe(1);
      expect(no.stderr).toContain("apply 3 ops on 2 nodes? [y/N] ");
      expect(no.stdout).toContain("ip route replace 10.244.2.0/24 via 192.168.50.12 dev eth0");
      expect(fleet.called("reconcile.startApply")).toHaveLength(0);
      const yes = await fleet.cli(["apply", "--plan-set", "7", "--node", "node1"], { stdin: { tty: "y" } });
      expect(yes.stderr).toContain("apply 1 ops on 1 node? [y/N] ");
      expect(yes.code).toBe(0);
      expect(fleet.called("reconcile.startApply").at(-1)?.input).toEqual({ planSetId: 7, nodes: ["node1"], confirm: true, allowDisruptive: false });
    });

    it("with --yes applies, follows the job to its end and exits 0 when it succeeded", async () => {
      const r = await fleet.cli(["apply", "--plan-set", "7", "--yes", "-o", "json"]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ id: 11, status: "succeeded" });
      expect(r.stderr).toContain("node1: applied");
    });

    it("exits 1 when the apply job fails", async () => {
      const failed = { ...(fleet.answers.jobs[1] as FakeAnswers["jobs"][number]), status: "failed" as const, message: "wave 1 failed on node1 (RTNETLINK answers: File exists)" };
      const before = fleet.answers.jobs;
      fleet.answers.jobs = [failed];
      try {
        const r = await fleet.cli(["apply", "--plan-set", "7", "--yes"]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("netatlas: apply job 11 failed: wave 1 failed on node1");
      } finally {
        fleet.answers.jobs = before;
      }
    });

    it("names a plan set or node that is not there with exit 2", async () => {
      expect(await fleet.cli(["apply", "--plan-set", "99", "--yes"])).toMatchObject({ code: 2, stderr: "netatlas: id: there is no plan set 99\n" });
      expect(await fleet.cli(["apply", "--plan-set", "7", "--node", "node3", "--yes"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--node: node3 has no plan in plan set 7 (agent node3: connect ECONNREFUSED)") });
      expect(await fleet.cli(["apply", "--plan-set", "seven", "--yes"])).toMatchObject({ code: 2, stderr: "netatlas: --plan-set: must be a whole number\n" });
      expect(await fleet.cli(["apply", "--yes"])).toMatchObject({ code: 2, stderr: expect.stringContaining("required option '--plan-set <id>' not specified") });
    });
  });
});
