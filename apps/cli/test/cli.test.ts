import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readContextFile, writeContextFile } from "../src/config/context-file.js";
import { ADMIN_TOKEN, REVOKED_TOKEN, startFakeDashboard, VIEWER_TOKEN, type FakeAnswers, type FakeDashboard } from "./fake-dashboard.js";
import { fleetAnswers, noRouteTrace } from "./fleet-answers.js";
import { privateCa } from "./private-ca.js";
import { runCli, type RunOptions } from "./run-cli.js";

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("netatlas against a dashboard's API", () => {
  const dir = mkdtempSync(join(tmpdir(), "netatlas-cli-test-"));
  const config = join(dir, "netatlas", "config");
  const env = { NETATLAS_CONFIG: config };
  let answers: FakeAnswers;
  let dashboard: FakeDashboard;
  let bare: FakeDashboard;
  let deadUrl: string;
  const cli = (args: string[], options: RunOptions = {}) => runCli(args, { env, ...options });
  const called = (path: string, from: FakeDashboard = dashboard) => from.calls.filter((c) => c.path === path);

  beforeAll(async () => {
    answers = { ...fleetAnswers(), reachability: { nodes: ["node1", "node2"], cells: [{ from: "node1", to: "node1", state: "delivered", verdict: "delivered", message: "ok" }, { from: "node1", to: "node2", state: "failed", verdict: "no-route", message: "node1's host has no route to 10.244.2.3" }, { from: "node2", to: "node1", state: "delivered", verdict: "delivered", message: "ok" }, { from: "node2", to: "node2", state: "no-endpoint", verdict: null, message: "node2 has no pods" }] } };
    dashboard = await startFakeDashboard(answers);
    bare = await startFakeDashboard(fleetAnswers());
    deadUrl = `http://127.0.0.1:${await closedPort()}`;
    writeContextFile(config, {
      "current-context": "admin",
      contexts: [
        { name: "admin", server: dashboard.url, token: ADMIN_TOKEN },
        { name: "viewer", server: dashboard.url, token: VIEWER_TOKEN },
        { name: "revoked", server: dashboard.url, token: REVOKED_TOKEN },
        { name: "older", server: bare.url, token: ADMIN_TOKEN },
        { name: "dead", server: deadUrl, token: ADMIN_TOKEN },
      ],
    });
  });
  afterAll(async () => {
    await Promise.all([dashboard?.close(), bare?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  describe("login and contexts", () => {
    const own = () => {
      const d = mkdtempSync(join(tmpdir(), "netatlas-cli-login-"));
      return { path: join(d, "sub", "config"), done: () => rmSync(d, { recursive: true, force: true }) };
    };

    it("checks a token piped on stdin with auth.whoami, then saves it as the current context in a 0600 file in a 0700 directory", async () => {
      const file = own();
      try {
        const r = await runCli(["login", "--server", `${dashboard.url}/`, "--context", "lab"], { env: { NETATLAS_CONFIG: file.path }, stdin: `${VIEWER_TOKEN}\n` });
        expect(r).toMatchObject({ code: 0, stderr: "" });
        expect(r.stdout).toContain(`logged in to ${dashboard.url} as viewer (viewer, via token); context "lab"`);
        expect(statSync(file.path).mode & 0o777).toBe(0o600);
        expect(statSync(join(file.path, "..")).mode & 0o777).toBe(0o700);
        expect(readContextFile(file.path).file).toEqual({ "current-context": "lab", contexts: [{ name: "lab", server: dashboard.url, token: VIEWER_TOKEN }] });
        // A second login adds a context beside the first and makes it current.
        writeFileSync(join(file.path, "..", "token"), ADMIN_TOKEN);
        expect((await runCli(["login", "--server", dashboard.url, "--token-file", join(file.path, "..", "token")], { env: { NETATLAS_CONFIG: file.path } })).code).toBe(0);
        const { file: both } = readContextFile(file.path);
        expect(both["current-context"]).toBe(new URL(dashboard.url).host);
        expect(both.contexts.map((c) => c.token)).toEqual([ADMIN_TOKEN, VIEWER_TOKEN]);
      } finally {
        file.done();
      }
    });

    it("refuses a revoked token at login with the dashboard's 401 and writes nothing", async () => {
      const file = own();
      try {
        const r = await runCli(["login", "--server", dashboard.url], { env: { NETATLAS_CONFIG: file.path }, stdin: REVOKED_TOKEN });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/refused the token .*401 UNAUTHORIZED: this token was revoked/);
        expect(() => statSync(file.path)).toThrow();
      } finally {
        file.done();
      }
    });

    it("names the field of a bad login and exits 2 without asking the dashboard", async () => {
      const calls = dashboard.calls.length;
      expect(await runCli(["login", "--server", dashboard.url], { env, stdin: "hunter2" })).toMatchObject({ code: 2, stderr: expect.stringContaining("--token-file: not a netatlas API token") });
      expect(await runCli(["login", "--server", "ftp://x"], { env, stdin: ADMIN_TOKEN })).toMatchObject({ code: 2, stderr: expect.stringContaining("--server: must be an http:// or https:// URL") });
      expect(await runCli(["login", "--server", dashboard.url], { env, stdin: { tty: "" } })).toMatchObject({ code: 2, stderr: expect.stringContaining("a token is never an argument") });
      expect(await runCli(["login", "--server", dashboard.url, "--ca", join(dir, "missing.pem")], { env, stdin: ADMIN_TOKEN })).toMatchObject({ code: 2, stderr: expect.stringContaining("--ca: cannot read") });
      expect(dashboard.calls.length).toBe(calls);
    });

    it("lists contexts without their tokens and switches the current one", async () => {
      const file = own();
      try {
        writeContextFile(file.path, { "current-context": "a", contexts: [{ name: "a", server: dashboard.url, token: ADMIN_TOKEN }, { name: "b", server: "https://b.example", token: VIEWER_TOKEN }] });
        const e = { NETATLAS_CONFIG: file.path };
        const listed = await runCli(["config", "get-contexts", "-o", "json"], { env: e });
        expect(JSON.parse(listed.stdout)).toEqual([{ current: true, name: "a", server: dashboard.url, ca: false }, { current: false, name: "b", server: "https://b.example", ca: false }]);
        expect((await runCli(["config", "get-contexts"], { env: e })).stdout).not.toContain("na_");
        expect((await runCli(["config", "use-context", "b"], { env: e })).code).toBe(0);
        expect((await runCli(["config", "current-context"], { env: e })).stdout).toBe("b\n");
        expect(await runCli(["config", "use-context", "c"], { env: e })).toMatchObject({ code: 2, stderr: expect.stringContaining('NAME: there is no context "c"') });
      } finally {
        file.done();
      }
    });

    it("trusts a private CA given at login for that dashboard, and says --ca when it is missing", async () => {
      const file = own();
      const ca = privateCa(mkdtempSync(join(tmpdir(), "netatlas-cli-ca-")));
      const https = await startFakeDashboard(fleetAnswers(), ca);
      try {
        const e = { NETATLAS_CONFIG: file.path };
        const untrusted = await runCli(["login", "--server", https.url], { env: e, stdin: ADMIN_TOKEN });
        expect(untrusted.code).toBe(1);
        expect(untrusted.stderr).toContain(`cannot reach the dashboard at ${https.url}: its certificate is not trusted`);
        expect(untrusted.stderr).toContain("--ca FILE");
        expect((await runCli(["login", "--server", https.url, "--ca", ca.caFile], { env: e, stdin: ADMIN_TOKEN })).code).toBe(0);
        expect(readContextFile(file.path).file.contexts[0]?.ca).toBe(readFileSync(ca.caFile, "utf8"));
        expect((await runCli(["nodes", "-o", "json"], { env: e })).code).toBe(0);
      } finally {
        await https.close();
        rmSync(join(ca.caFile, ".."), { recursive: true, force: true });
        file.done();
      }
    });

    it("says how to log in when there is no context, with exit 2", async () => {
      expect(await runCli(["nodes"], { env: { NETATLAS_CONFIG: join(dir, "none", "config") } })).toMatchObject({ code: 2, stderr: expect.stringContaining("no current context") });
    });
  });

  describe("reading the fleet", () => {
    it("prints nodes as a table, and the dashboard's rows as json and yaml", async () => {
      const table = await cli(["nodes"]);
      expect(table.code).toBe(0);
      expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+STATUS\s+SNAPSHOT\s+PODS\s+CONTAINERS\s+FINDINGS\s+ERROR$/);
      expect(table.stdout).toMatch(/node1\s+up\s+2 s\s+2\s+0\s+1 error, 2 warning/);
      expect(table.stdout).not.toContain("KERNEL");
      expect((await cli(["nodes", "-o", "wide"])).stdout).toMatch(/KERNEL[\s\S]*6\.1\.0/);
      expect(JSON.parse((await cli(["nodes", "-o", "json"])).stdout)).toEqual(answers.overview.rows);
      expect((await cli(["nodes", "-o", "yaml"])).stdout).toContain("- name: node1\n");
    });

    it("fits a table to the terminal's width, cutting long cells with …", async () => {
      const r = await cli(["findings"], { terminalColumns: 60, env: { ...env, NO_COLOR: "1" } });
      const lines = r.stdout.trimEnd().split("\n");
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(60);
      expect(r.stdout).toContain("…");
      // Into a pipe nothing is cut: grep sees whole messages.
      expect((await cli(["findings"])).stdout).toContain("node1 has no route to node2's pod subnet 10.244.2.0/24");
    });

    it("colours only a terminal, and not with NO_COLOR", async () => {
      expect((await cli(["nodes"], { terminalColumns: 200 })).stdout).toContain("\x1b[32mup\x1b[39m");
      expect((await cli(["nodes"], { terminalColumns: 200, env: { ...env, NO_COLOR: "1" } })).stdout).not.toContain("\x1b[");
      expect((await cli(["nodes"])).stdout).not.toContain("\x1b[");
    });

    it("filters findings by node and by severity (that one or worse)", async () => {
      const r = await cli(["findings", "--severity", "error", "-o", "json"]);
      expect(JSON.parse(r.stdout).map((f: { code: string }) => f.code)).toEqual(["missing-peer-route"]);
      expect(called("fleet.findings").at(-1)?.input).toBeUndefined();
      await cli(["findings", "--node", "node2"]);
      expect(called("fleet.findings").at(-1)?.input).toEqual({ node: "node2" });
    });

    it("exits 1 for --fail-on error when a finding is that bad, and 0 when none is", async () => {
      const failing = await cli(["findings", "--fail-on", "error"]);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toContain("missing-peer-route");
      expect(failing.stderr).toBe("netatlas: 1 finding(s) of severity error or worse (--fail-on error)\n");
      expect((await cli(["findings", "--fail-on", "critical"])).code).toBe(0);
      expect((await cli(["findings", "--node", "node2", "--fail-on", "error"])).code).toBe(0);
    });

    it("lists pods with whether their sandbox lives", async () => {
      const r = await cli(["pods"]);
      expect(r.stdout).toMatch(/node1\s+default\s+node1-pod2\s+sandbox dead\s+10\.244\.1\.3/);
    });

    it("rejects bad flags with exit 2, naming them, before asking the dashboard", async () => {
      const calls = dashboard.calls.length;
      expect(await cli(["findings", "--severity", "bad"])).toMatchObject({ code: 2, stderr: expect.stringContaining("argument 'bad' is invalid") });
      expect(await cli(["pods", "--node", "-x"])).toMatchObject({ code: 2 });
      expect(await cli(["pods", "--node", "no/de"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--node: a node name has") });
      expect(await cli(["nodes", "-o", "xml"])).toMatchObject({ code: 2, stderr: expect.stringContaining("Allowed choices are table, wide, json, yaml") });
      expect(await cli(["audit", "--limit", "0"])).toMatchObject({ code: 2, stderr: "netatlas: --limit: must be at least 1\n" });
      expect(await cli(["audit", "--from", "yesterday"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--from: must be a date and time") });
      expect(await cli(["frobnicate"])).toMatchObject({ code: 2 });
      expect(dashboard.calls.length).toBe(calls);
    });

    it("documents the exit codes in --help", async () => {
      const r = await cli(["--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*trace not delivered[\s\S]*\n\s+2 .*bad input/);
    });
  });

  describe("trace", () => {
    it("prints the hops of a delivered trace and exits 0", async () => {
      const r = await cli(["trace", "node1-pod1", "10.244.2.3"]);
      expect(r).toMatchObject({ code: 0, stderr: "" });
      expect(r.stdout).toMatch(/3\s+node2\s+node2-pod1\s+deliver/);
      expect(called("trace.run").at(-1)?.input).toEqual({ source: "node1-pod1", destination: "10.244.2.3", protocol: "icmp" });
    });

    it("exits 1 when the packet is not delivered, with the deciding hop on stderr", async () => {
      answers.trace = noRouteTrace;
      try {
        const r = await cli(["trace", "node1-pod1", "10.244.2.3", "-o", "json"]);
        expect(r.code).toBe(1);
        expect(JSON.parse(r.stdout).forward.verdict.kind).toBe("no-route");
        expect(r.stderr).toBe("netatlas: not delivered: no-route at hop 2 (node1 host, route: (no route)): node1's host has no route to 10.244.2.3\n");
      } finally {
        answers.trace = fleetAnswers().trace;
      }
    });

    it("with --verify prints the hops and the probe's answer, as json too", async () => {
      const r = await cli(["trace", "node1-pod1", "10.244.2.3", "--verify", "-o", "json"]);
      expect(r.code).toBe(0);
      const answer = JSON.parse(r.stdout);
      expect(answer.trace.forward.hops).toHaveLength(3);
      expect(answer.probe.attempts.filter((a: { ok: boolean }) => a.ok)).toHaveLength(3);
      expect((await cli(["trace", "node1-pod1", "10.244.2.3", "--verify"])).stdout).toMatch(/node1 sent 3 icmp probes to 10\.244\.2\.3: 3 replied, rtt 0\.30 ms/);
    });

    it("exits 1 when the trace says delivered but the probe gets no reply", async () => {
      answers.probe = { ...answers.probe, attempts: [{ ok: false, error: "timeout" }] };
      try {
        const r = await cli(["trace", "node1-pod1", "10.244.2.3", "--verify"]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("the probe from node1 got no reply");
      } finally {
        answers.probe = fleetAnswers().probe;
      }
    });

    it("turns --port into a tcp trace, and names each wrong trace flag with exit 2", async () => {
      await cli(["trace", "a", "10.244.2.3", "--port", "8080"]);
      expect(called("trace.run").at(-1)?.input).toEqual({ source: "a", destination: "10.244.2.3", protocol: "tcp", port: 8080 });
      const calls = dashboard.calls.length;
      expect((await cli(["trace", "a", "b", "--port", "0"])).stderr).toBe("netatlas: --port: must be at least 1\n");
      expect((await cli(["trace", "a", "b", "--port", "http"])).stderr).toBe("netatlas: --port: must be a whole number\n");
      expect((await cli(["trace", "a", "b", "--protocol", "tcp"])).stderr).toBe("netatlas: --port: a tcp trace needs a port\n");
      expect((await cli(["trace", "a", "b", "--protocol", "icmp", "--port", "80"])).stderr).toContain("--port: icmp has no port");
      expect((await cli(["trace", "a", "b", "--protocol", "udp", "--port", "53"])).stderr).toContain("--protocol: the dashboard traces icmp and tcp");
      expect((await cli(["trace", "a", "b", "--size", "9000"])).stderr).toContain("--size: the dashboard's trace API takes no packet size yet");
      expect(await cli(["trace", "a"])).toMatchObject({ code: 2, stderr: expect.stringContaining("missing required argument 'DST'") });
      expect(dashboard.calls.length).toBe(calls);
      expect((await cli(["trace", "a", "b", "--port", "0"])).code).toBe(2);
    });

    it("passes on the dashboard's BAD_REQUEST as exit 2 with its field", async () => {
      expect(await cli(["trace", "nowhere", "10.244.2.3"])).toMatchObject({ code: 2, stderr: 'netatlas: source: no pod, container or namespace is called "nowhere"\n' });
    });
  });

  describe("tokens and roles", () => {
    it("lets a viewer's token read but not plan, apply or verify (403 FORBIDDEN, exit 1)", async () => {
      expect((await cli(["nodes", "--context", "viewer"])).code).toBe(0);
      for (const args of [["plan"], ["apply", "--plan-set", "7", "--yes"], ["trace", "a", "b", "--verify"]]) {
        const r = await cli(["--context", "viewer", ...args]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/403 FORBIDDEN: this needs the admin role; you are signed in as viewer/);
      }
      expect(called("reconcile.startApply")).toHaveLength(0);
    });

    it("says a revoked token is refused (401) and what to do", async () => {
      const r = await cli(["nodes", "--context", "revoked"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`netatlas: the dashboard at ${dashboard.url} refused the token of context "revoked" (401 UNAUTHORIZED: this token was revoked): it is unknown, expired or revoked; create a new one and run netatlas login again\n`);
    });

    it("says when the dashboard cannot be reached", async () => {
      const r = await cli(["nodes", "--context", "dead"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^netatlas: cannot reach the dashboard at ${deadUrl.replace(/[.]/g, "\\.")}: .*ECONNREFUSED`));
    });
  });

  describe("matrix", () => {
    it("draws the reachability matrix, with what failed below it", async () => {
      const r = await cli(["matrix"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/FROM \\ TO\s+node1\s+node2\nnode1\s+ok\s+FAIL\nnode2\s+ok\s+-\n/);
      expect(r.stdout).toContain("node1 -> node2: failed: node1's host has no route to 10.244.2.3");
    });

    it("says plainly when the dashboard has no reachability matrix yet", async () => {
      const r = await cli(["matrix", "--context", "older"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("this dashboard has no reachability matrix yet");
    });
  });

  describe("plan and apply", () => {
    it("plans and prints each node's ops with the command to apply them", async () => {
      const r = await cli(["plan"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("plan set 7: plan for spec version 3, made by admin");
      expect(r.stdout).toContain("ip route replace 10.244.1.0/24 via 192.168.50.11 dev eth0");
      expect(r.stdout).toMatch(/node3\s+unreachable\s+-\s+-\s+agent node3: connect ECONNREFUSED/);
      expect(r.stdout).toContain("netatlas apply --plan-set 7");
    });

    it("refuses to apply without a terminal to confirm on and without --yes (exit 2), changing nothing", async () => {
      const r = await cli(["apply", "--plan-set", "7"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--yes: stdin is not a terminal, so nobody can confirm "apply 3 ops on 2 nodes?"');
      expect(called("reconcile.startApply")).toHaveLength(0);
    });

    it("asks on a terminal and applies nothing unless the answer is yes", async () => {
      const no = await cli(["apply", "--plan-set", "7"], { stdin: { tty: "n" } });
      expect(no.code).toBe(1);
      expect(no.stderr).toContain("apply 3 ops on 2 nodes? [y/N] ");
      expect(no.stdout).toContain("ip route replace 10.244.2.0/24 via 192.168.50.12 dev eth0");
      expect(called("reconcile.startApply")).toHaveLength(0);
      const yes = await cli(["apply", "--plan-set", "7", "--node", "node1"], { stdin: { tty: "y" } });
      expect(yes.stderr).toContain("apply 1 ops on 1 node? [y/N] ");
      expect(yes.code).toBe(0);
      expect(called("reconcile.startApply").at(-1)?.input).toEqual({ planSetId: 7, nodes: ["node1"], confirm: true, allowDisruptive: false });
    });

    it("with --yes applies, follows the job to its end and exits 0 when it succeeded", async () => {
      const r = await cli(["apply", "--plan-set", "7", "--yes", "-o", "json"]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ id: 11, status: "succeeded" });
      expect(r.stderr).toContain("node1: applied");
    });

    it("exits 1 when the apply job fails", async () => {
      const failed = { ...(answers.jobs[1] as FakeAnswers["jobs"][number]), status: "failed" as const, message: "wave 1 failed on node1 (RTNETLINK answers: File exists)" };
      const before = answers.jobs;
      answers.jobs = [failed];
      try {
        const r = await cli(["apply", "--plan-set", "7", "--yes"]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("netatlas: apply job 11 failed: wave 1 failed on node1");
      } finally {
        answers.jobs = before;
      }
    });

    it("names a plan set or node that is not there with exit 2", async () => {
      expect(await cli(["apply", "--plan-set", "99", "--yes"])).toMatchObject({ code: 2, stderr: "netatlas: id: there is no plan set 99\n" });
      expect(await cli(["apply", "--plan-set", "7", "--node", "node3", "--yes"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--node: node3 has no plan in plan set 7 (agent node3: connect ECONNREFUSED)") });
      expect(await cli(["apply", "--plan-set", "seven", "--yes"])).toMatchObject({ code: 2, stderr: "netatlas: --plan-set: must be a whole number\n" });
      expect(await cli(["apply", "--yes"])).toMatchObject({ code: 2, stderr: expect.stringContaining("required option '--plan-set <id>' not specified") });
    });
  });

  describe("drift and audit", () => {
    it("shows each node's drift and the ops a repair would run", async () => {
      const r = await cli(["drift"]);
      expect(r.stdout).toMatch(/node1\s+observe\s+kept\s+1 op\s+2 min/);
      expect(r.stdout).toContain("ip route replace 10.244.2.0/24 via 192.168.50.12 dev eth0");
    });

    it("passes the audit filters on", async () => {
      const r = await cli(["audit", "--action", "apply", "--from", "2026-01-01T00:00:00Z", "--limit", "5", "-o", "wide"]);
      expect(r.stdout).toMatch(/2026-01-31T12:01:00\.000Z\s+admin\s+apply\s+fleet\s+\{"planSet":7\}/);
      expect(called("audit.list").at(-1)?.input).toEqual({ action: "apply", from: "2026-01-01T00:00:00Z", limit: 5 });
    });
  });
});
