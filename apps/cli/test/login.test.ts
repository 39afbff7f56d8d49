import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readContextFile, writeContextFile } from "../src/config/context-file.js";
import { ADMIN_TOKEN, REVOKED_TOKEN, startFakeDashboard, VIEWER_TOKEN } from "./fake-dashboard.js";
import { useFakeFleet } from "./fake-fleet.js";
import { fleetAnswers } from "./fleet-answers.js";
import { privateCa } from "./private-ca.js";
import { runCli } from "./run-cli.js";

describe("netatlas login and its contexts", () => {
  const fleet = useFakeFleet();

  describe("login and contexts", () => {
    const own = () => {
      const d = mkdtempSync(join(tmpdir(), "netatlas-cli-login-"));
      return { path: join(d, "sub", "config"), done: () => rmSync(d, { recursive: true, force: true }) };
    };

    it("checks a token piped on stdin with auth.whoami, then saves it as the current context in a 0600 file in a 0700 directory", async () => {
      const file = own();
      try {
        const r = await runCli(["login", "--server", `${fleet.dashboard.url}/`, "--context", "lab"], { env: { NETATLAS_CONFIG: file.path }, stdin: `${VIEWER_TOKEN}\n` });
        expect(r).toMatchObject({ code: 0, stderr: "" });
        expect(r.stdout).toContain(`logged in to ${fleet.dashboard.url} as viewer (viewer, via token); context "lab"`);
        expect(statSync(file.path).mode & 0o777).toBe(0o600);
        expect(statSync(join(file.path, "..")).mode & 0o777).toBe(0o700);
        expect(readContextFile(file.path).file).toEqual({ "current-context": "lab", contexts: [{ name: "lab", server: fleet.dashboard.url, token: VIEWER_TOKEN }] });
        // A second login adds a context beside the first and makes it current.
        writeFileSync(join(file.path, "..", "token"), ADMIN_TOKEN);
        expect((await runCli(["login", "--server", fleet.dashboard.url, "--token-file", join(file.path, "..", "token")], { env: { NETATLAS_CONFIG: file.path } })).code).toBe(0);
        const { file: both } = readContextFile(file.path);
        expect(both["current-context"]).toBe(new URL(fleet.dashboard.url).host);
        expect(both.contexts.map((c) => c.token)).toEqual([ADMIN_TOKEN, VIEWER_TOKEN]);
      } finally {
        file.done();
      }
    });

    it("refuses a revoked token at login with the dashboard's 401 and writes nothing", async () => {
      const file = own();
      try {
        const r = await runCli(["login", "--server", fleet.dashboard.url], { env: { NETATLAS_CONFIG: file.path }, stdin: REVOKED_TOKEN });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/refused the token .*401 UNAUTHORIZED: this token was revoked/);
        expect(() => statSync(file.path)).toThrow();
      } finally {
        file.done();
      }
    });

    it("names the field of a bad login and exits 2 without asking the dashboard", async () => {
      const calls = fleet.dashboard.calls.length;
      expect(await runCli(["login", "--server", fleet.dashboard.url], { env: fleet.env, stdin: "hunter2" })).toMatchObject({ code: 2, stderr: expect.stringContaining("--token-file: not a netatlas API token") });
      expect(await runCli(["login", "--server", "ftp://x"], { env: fleet.env, stdin: ADMIN_TOKEN })).toMatchObject({ code: 2, stderr: expect.stringContaining("--server: must be an http:// or https:// URL") });
      expect(await runCli(["login", "--server", fleet.dashboard.url], { env: fleet.env, stdin: { tty: "" } })).toMatchObject({ code: 2, stderr: expect.stringContaining("a token is never an argument") });
      expect(await runCli(["login", "--server", fleet.dashboard.url, "--ca", join(fleet.dir, "missing.pem")], { env: fleet.env, stdin: ADMIN_TOKEN })).toMatchObject({ code: 2, stderr: expect.stringContaining("--ca: cannot read") });
      expect(fleet.dashboard.calls.length).toBe(calls);
    });

    it("lists contexts without their tokens and switches the current one", async () => {
      const file = own();
      try {
        writeContextFile(file.path, { "current-context": "a", contexts: [{ name: "a", server: fleet.dashboard.url, token: ADMIN_TOKEN }, { name: "b", server: "https://b.example", token: VIEWER_TOKEN }] });
        const e = { NETATLAS_CONFIG: file.path };
        const listed = await runCli(["config", "get-contexts", "-o", "json"], { env: e });
        expect(JSON.parse(listed.stdout)).toEqual([{ current: true, name: "a", server: fleet.dashboard.url, ca: false }, { current: false, name: "b", server: "https://b.example", ca: false }]);
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
      expect(await runCli(["nodes"], { env: { NETATLAS_CONFIG: join(fleet.dir, "none", "config") } })).toMatchObject({ code: 2, stderr: expect.stringContaining("no current context") });
    });
  });
});
