import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { NewUser, UserName } from "../auth/account";
import { Role } from "../auth/role";
import { addUser, listUsers, removeUser, setUserRole } from "../auth/user-store";
import { openDatabase, type Database } from "../db/open";
import { audit } from "../store/audit-store";

export const USERS_USAGE = `usage: netatlas-dashboard users add NAME --role admin|viewer [--password-file FILE]   (else the password is read from stdin)
       netatlas-dashboard users remove NAME
       netatlas-dashboard users set-role NAME admin|viewer
       netatlas-dashboard users list [--json]
options: --data-dir DIR (else NETATLAS_DATA_DIR, ./data); DATABASE_URL selects PostgreSQL`;

/** What the command reads and writes, so tests can give it their own. */
export interface CommandIo {
  env: Record<string, string | undefined>;
  /** All of stdin; undefined when stdin is a terminal (a password typed there would show). */
  stdin: () => Promise<string | undefined>;
  readFile: (path: string) => string;
  out: (line: string) => void;
  err: (line: string) => void;
  migrationsDir: string;
}

/** Bad input: exit 2, naming the field. */
class BadInput extends Error {}

type Issues = { issues: { path: PropertyKey[]; message: string }[] };

/** `value` as `schema` reads it, or BadInput naming the field of each issue (an object's own field, else `field`). */
function parsed<T>(field: string, schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: Issues } }, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadInput(result.error.issues.map((i) => `${i.path.map(String).join(".") || field}: ${i.message}`).join("; "));
  return result.data;
}

/** The password: the first line of --password-file, or all of stdin, without its trailing newline; never from the command line. */
async function passwordFrom(file: string | undefined, io: CommandIo): Promise<string> {
  if (file) {
    try {
      return io.readFile(file).split(/\r?\n/, 1)[0] ?? "";
    } catch (error) {
      throw new BadInput(`password-file: cannot read ${file}: ${(error as Error).message}`);
    }
  }
  const input = await io.stdin();
  if (input === undefined) throw new BadInput("password: pipe it on stdin (e.g. from a password manager) or give --password-file FILE; it is never taken from the command line");
  return input.replace(/\r?\n$/, "");
}

/** Who the audit log names for a change made on the server's console. */
const consoleActor = () => `console (${userInfo().username})`;

type Change = (db: Database["db"]) => Promise<number>;

/** What the command will do, with its input checked first: bad input never opens the database. */
async function changeFor(verb: string, args: string[], values: { role?: string; "password-file"?: string; json?: boolean }, io: CommandIo): Promise<Change> {
  const [name, ...rest] = args;
  if (verb === "list") {
    return async (db) => {
      const users = await listUsers(db);
      if (values.json) io.out(JSON.stringify(users, null, 2));
      else {
        const width = Math.max(4, ...users.map((u) => u.name.length));
        io.out(`${"NAME".padEnd(width)}  ROLE    CREATED`);
        for (const u of users) io.out(`${u.name.padEnd(width)}  ${u.role.padEnd(6)}  ${u.createdAt}`);
        if (!users.length) io.err("no named users yet (the environment passwords' accounts, admin and viewer, are not listed)");
      }
      return 0;
    };
  }
  if (verb === "add") {
    const user = parsed("name", NewUser, { name, role: values.role, password: await passwordFrom(values["password-file"], io) });
    return async (db) => {
      if (!(await addUser(db, user))) return fail(io, `name: a user named "${user.name}" already exists`);
      await audit(db, { actor: consoleActor(), action: "add-user", target: user.name, detail: { role: user.role } });
      io.out(`added ${user.name} (${user.role})`);
      return 0;
    };
  }
  const who = parsed("name", UserName, name);
  if (verb === "remove") {
    return async (db) => {
      if (!(await removeUser(db, who))) return fail(io, `name: no user is named "${who}"`);
      await audit(db, { actor: consoleActor(), action: "remove-user", target: who });
      io.out(`removed ${who}: their sessions ended and their API tokens are revoked`);
      return 0;
    };
  }
  const role = parsed("role", Role, rest[0] ?? values.role);
  return async (db) => {
    if (!(await setUserRole(db, who, role))) return fail(io, `name: no user is named "${who}"`);
    await audit(db, { actor: consoleActor(), action: "set-role", target: who, detail: { role } });
    io.out(`${who} is ${role === "admin" ? "an admin" : "a viewer"} now (their sessions and tokens too, from their next request)`);
    return 0;
  };
}

function fail(io: CommandIo, message: string): number {
  io.err(`netatlas-dashboard users: ${message}`);
  return 1;
}

/**
 * `netatlas-dashboard users add|remove|set-role|list` on the dashboard's own database
 * (PGlite in the data directory, or DATABASE_URL). Exit 0 done, 2 bad input (the
 * field named), 1 failed (no such user, a name taken, the database not reachable).
 */
export async function usersCommand(argv: string[], io: CommandIo): Promise<number> {
  let database: Database | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { role: { type: "string" }, "password-file": { type: "string" }, "data-dir": { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } },
    });
    const [verb, ...args] = positionals;
    if (values.help) {
      io.out(USERS_USAGE);
      return 0;
    }
    if (!verb || !["add", "remove", "set-role", "list"].includes(verb)) throw new BadInput(`command: ${verb ? `"${verb}" is not one of` : "give one of"} add, remove, set-role, list`);
    if (verb !== "list" && !args[0]) throw new BadInput(`name: give the user's name (users ${verb} NAME)`);
    const databaseUrl = io.env.DATABASE_URL || undefined;
    if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new BadInput("DATABASE_URL: must start with postgres:// or postgresql://");
    const change = await changeFor(verb, args, values, io);
    database = await openDatabase({ databaseUrl, dataDir: resolve(values["data-dir"] ?? (io.env.NETATLAS_DATA_DIR || "data")), migrationsDir: io.migrationsDir });
    return await change(database.db);
  } catch (error) {
    if (error instanceof BadInput || (error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`netatlas-dashboard users: ${(error as Error).message}\n${USERS_USAGE}`);
      return 2;
    }
    return fail(io, (error as Error).message);
  } finally {
    await database?.close();
  }
}

/** A password is at most 256 characters: a larger stdin is a mistake (a file piped by accident), not read whole. */
const MAX_STDIN_BYTES = 64 * 1024;

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_STDIN_BYTES) throw new Error(`stdin: more than ${MAX_STDIN_BYTES} bytes; give the password alone (at most 256 characters)`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The bin's entry (bundled to dist/users-command.js): the real stdin, stdout, stderr and environment; the migrations beside the app. */
export function usersMain(argv: string[]): Promise<number> {
  return usersCommand(argv, {
    env: process.env,
    stdin: readStdin,
    readFile: (path) => readFileSync(path, "utf8"),
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    migrationsDir: fileURLToPath(new URL("../drizzle", import.meta.url)),
  });
}
