import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkUserPassword } from "../src/server/auth/user-store";
import { usersCommand, type CommandIo } from "../src/server/cli/users-command";
import { openDatabase } from "../src/server/db/open";
import { auditEntries } from "../src/server/store/audit-store";

const app = fileURLToPath(new URL("..", import.meta.url));
const migrationsDir = join(app, "drizzle");

/** `netatlas-dashboard users …` on a PGlite data directory of its own; what it printed and its exit code. */
async function users(dataDir: string, argv: string[], stdin?: string, files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    env: { NETATLAS_DATA_DIR: dataDir },
    stdin: async () => stdin,
    readFile: (path) => {
      if (!(path in files)) throw new Error(`ENOENT: no such file, open '${path}'`);
      return files[path] as string;
    },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    migrationsDir,
  };
  const code = await usersCommand(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("netatlas-dashboard users", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-users-cli-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("adds a user with the password from stdin, lists, changes the role and removes, each audited as the console's user", async () => {
    expect(await users(dataDir, ["add", "alice", "--role", "admin"], "alice-password\n")).toEqual({ code: 0, out: "added alice (admin)", err: "" });
    expect(await users(dataDir, ["add", "bob", "--role", "viewer", "--password-file", "/secrets/bob"], undefined, { "/secrets/bob": "bob-password\nignored" })).toMatchObject({ code: 0 });
    const listed = await users(dataDir, ["list", "--json"]);
    expect(JSON.parse(listed.out).map((u: { name: string; role: string }) => `${u.name}:${u.role}`)).toEqual(["alice:admin", "bob:viewer"]);
    expect((await users(dataDir, ["set-role", "alice", "viewer"])).code).toBe(0);
    expect((await users(dataDir, ["remove", "bob"])).code).toBe(0);
    const database = await openDatabase({ dataDir, migrationsDir });
    try {
      expect(await checkUserPassword(database.db, "alice", "alice-password")).toBe("viewer");
      expect((await auditEntries(database.db, {})).map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual(
        [`remove-user bob`, `set-role alice`, `add-user bob`, `add-user alice`].map((a) => `console (${userInfo().username}) ${a}`),
      );
    } finally {
      await database.close();
    }
  }, 60_000);

  it("exits 2 on bad input, naming the field, and 1 when the change cannot be made", async () => {
    expect(await users(dataDir, ["add", "admin", "--role", "admin"], "long-enough-password")).toMatchObject({ code: 2, err: expect.stringMatching(/^netatlas-dashboard users: name: admin, viewer and unknown are reserved/) });
    expect(await users(dataDir, ["add", "carol", "--role", "root"], "long-enough-password")).toMatchObject({ code: 2, err: expect.stringMatching(/^netatlas-dashboard users: role: /) });
    expect(await users(dataDir, ["add", "carol", "--role", "admin"], "short")).toMatchObject({ code: 2, err: expect.stringMatching(/^netatlas-dashboard users: password: the password needs at least 8 characters/) });
    expect(await users(dataDir, ["add", "carol", "--role", "admin"])).toMatchObject({ code: 2, err: expect.stringMatching(/^netatlas-dashboard users: password: pipe it on stdin/) });
    expect(await users(dataDir, ["add", "carol", "--role", "admin", "--password-file", "/nope"])).toMatchObject({ code: 2, err: expect.stringMatching(/^netatlas-dashboard users: password-file: cannot read \/nope/) });
    expect(await users(dataDir, ["remove"])).toMatchObject({ code: 2, err: expect.stringMatching(/^netatlas-dashboard users: name: give the user's name/) });
    expect(await users(dataDir, ["set-role", "alice", "owner"])).toMatchObject({ code: 2, err: expect.stringMatching(/^netatlas-dashboard users: role: /) });
    expect(await users(dataDir, ["rename", "alice"])).toMatchObject({ code: 2, err: expect.stringMatching(/^netatlas-dashboard users: command: "rename" is not one of add, remove, set-role, list/) });
    expect(await users(dataDir, ["list", "--colour"])).toMatchObject({ code: 2, err: expect.stringMatching(/--colour/) });
    expect(await users(dataDir, ["add", "alice", "--role", "admin"], "another-password")).toEqual({ code: 1, out: "", err: 'netatlas-dashboard users: name: a user named "alice" already exists' });
    expect(await users(dataDir, ["remove", "nobody"])).toEqual({ code: 1, out: "", err: 'netatlas-dashboard users: name: no user is named "nobody"' });
  }, 60_000);

  it("refuses a PGlite directory a running dashboard holds, instead of writing beside it", async () => {
    const database = await openDatabase({ dataDir, migrationsDir });
    try {
      const refused = await users(dataDir, ["list"]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`is in use by process ${process.pid} (this one): PGlite serves one process at a time; stop that dashboard first (or manage users on its Users page), or use PostgreSQL (DATABASE_URL)`);
    } finally {
      await database.close();
    }
    expect((await users(dataDir, ["list"])).code).toBe(0);
  }, 30_000);

  it("runs from the bin on the built bundle", () => {
    execFileSync(process.execPath, [join(app, "scripts/build-cli.mjs")], { cwd: app });
    const added = spawnSync(process.execPath, [join(app, "bin/netatlas-dashboard.js"), "users", "add", "dave", "--role", "viewer", "--data-dir", dataDir], { input: "dave-password\n", encoding: "utf8" });
    expect([added.status, added.stdout.trim(), added.stderr]).toEqual([0, "added dave (viewer)", ""]);
    const bad = spawnSync(process.execPath, [join(app, "bin/netatlas-dashboard.js"), "users", "add", "Dave", "--role", "viewer", "--data-dir", dataDir], { input: "dave-password\n", encoding: "utf8" });
    expect(bad.status).toBe(2);
  }, 30_000);
});

describe("the PGlite directory", () => {
  it("is taken over when the process that held it is gone", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "netatlas-dash-stale-lock-"));
    try {
      const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
      writeFileSync(join(dataDir, "netatlas.pid"), `${gone.stdout}\n`);
      expect((await users(dataDir, ["list"])).code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
