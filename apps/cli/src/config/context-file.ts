import { randomBytes } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { z } from "zod";
import { ApiToken } from "../dashboard/api-token.js";
import { UsageError } from "../usage-error.js";

export const ContextName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/, "a context name has 1-63 letters, digits, '.', '_', ':' or '-' and starts with a letter or digit");

/** The dashboard's base URL, as a person opens it in a browser. */
export const ServerUrl = z
  .string()
  .trim()
  .refine((s) => URL.canParse(s) && ["http:", "https:"].includes(new URL(s).protocol), "must be an http:// or https:// URL, e.g. https://netatlas.example.com")
  .transform((s) => s.replace(/\/+$/, ""));

/** One dashboard with the token to use on it, like a kubeconfig context. */
export const Context = z
  .object({
    name: ContextName,
    server: ServerUrl,
    token: ApiToken,
    /** PEM certificate(s) to trust for an https server with a private CA (kept in the file, as kubectl's certificate-authority-data). */
    ca: z.string().includes("-----BEGIN CERTIFICATE-----", { message: "must hold a PEM certificate" }).optional(),
  })
  .strict();
export type Context = z.infer<typeof Context>;

export const ContextFile = z
  .object({
    "current-context": ContextName.optional(),
    contexts: z.array(Context).default([]),
  })
  .strict();
export type ContextFile = z.infer<typeof ContextFile>;

/** The file's contexts; a missing file is an empty one. A file that is not ours to trust or not well-formed is named with its fault. */
export function readContextFile(path: string): { file: ContextFile; warning?: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { file: { contexts: [] } };
    throw new Error(`cannot read the context file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new UsageError(`${path}: not YAML (${(error as Error).message.split("\n")[0]}); fix it or remove it and run netatlas login again`);
  }
  const checked = ContextFile.safeParse(data);
  if (!checked.success) {
    const issue = checked.error.issues[0] as z.core.$ZodIssue;
    throw new UsageError(`${path}: ${issue.path.join(".") || "file"}: ${issue.message}`);
  }
  // It holds tokens: like ssh with a private key, say so when others may read it (but go on).
  const mode = lstatSync(path).mode & 0o777;
  const warning = mode & 0o077 ? `${path} can be read by others (mode ${mode.toString(8).padStart(4, "0")}) and holds tokens; chmod 600 ${path}` : undefined;
  return { file: checked.data, warning };
}

/**
 * Writes the file 0600 in a directory made 0700 when it is created (an existing one, which
 * NETATLAS_CONFIG may name, is left as it is), through a fresh
 * file renamed into place: a crash leaves the old file or the new one, never half of
 * one, and the token is never readable by others, not even for a moment.
 */
export function writeContextFile(path: string, file: ContextFile): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const partial = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}`);
  try {
    writeFileSync(partial, stringify(ContextFile.parse(file)), { flag: "wx", mode: 0o600 });
    chmodSync(partial, 0o600); // the umask may have taken bits off the mode given above; the file is 0600, not less
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new Error(`cannot write the context file ${path}: ${(error as Error).message}`);
  }
}

/** The file with `context` added (or replacing one of the same name) and made current. */
export function withContext(file: ContextFile, context: Context): ContextFile {
  return { "current-context": context.name, contexts: [...file.contexts.filter((c) => c.name !== context.name), context].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** The context a command uses: the one named (`field`: --context, or NAME of use-context), else the current one. */
export function selectContext(file: ContextFile, path: string, name: string | undefined, field = "--context"): Context {
  const wanted = name ?? file["current-context"];
  if (!wanted) throw new UsageError(`${field}: no current context in ${path}; run netatlas login --server URL --token-file FILE first`);
  const found = file.contexts.find((c) => c.name === wanted);
  if (!found) throw new UsageError(`${field}: there is no context "${wanted}" in ${path} (it has ${file.contexts.map((c) => c.name).join(", ") || "none"}); see netatlas config get-contexts`);
  return found;
}
