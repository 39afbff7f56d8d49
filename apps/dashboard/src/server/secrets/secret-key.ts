import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const SECRET_KEY_FILE = "secret.key";

/**
 * The dashboard's 32-byte key for what it keeps sealed in its database: derived from
 * NETATLAS_SECRET_KEY when given (a Secret in Kubernetes, where the data directory may
 * not outlive the pod), else read from `<dataDir>/secret.key`, made on first start
 * (random, mode 0600, never in the database).
 */
export function secretKey(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) return createHash("sha256").update(`netatlas-dashboard secret key\0${fromEnv}`).digest();
  const path = join(dataDir, SECRET_KEY_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot read the dashboard's secret key ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (text !== undefined) {
    const key = Buffer.from(text.trim(), "base64url");
    if (key.length !== 32) throw new Error(`${path} holds no dashboard key (expected 32 bytes in base64url, found ${key.length}); restore it, or remove it to make a new one (agent tokens sealed under the old one must then be entered again)`);
    return key;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // wx: two processes starting at once must not each write a key of their own.
    writeFileSync(path, `${key.toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return secretKey(dataDir, fromEnv);
    throw new Error(`cannot write the dashboard's secret key ${path}: ${(error as Error).message}; is the data directory (NETATLAS_DATA_DIR) writable?`, { cause: error });
  }
  return key;
}
