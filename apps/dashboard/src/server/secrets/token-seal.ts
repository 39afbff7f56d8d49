import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "sealed:v1:";

/** Whether a stored token is sealed (else it is plain text from a dashboard before sealing). */
export const isSealed = (stored: string) => stored.startsWith(PREFIX);

/**
 * Seals agent tokens for the database with AES-256-GCM under a key kept outside it
 * (NETATLAS_SECRET_KEY, or the data directory's secret.key): a copy of the database,
 * a backup or its WAL holds no token an agent would take.
 */
export class TokenSeal {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error(`a token seal needs a 32-byte key, got ${key.length} bytes`);
  }

  seal(token: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const text = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
    return `${PREFIX}${[iv, cipher.getAuthTag(), text].map((b) => b.toString("base64url")).join(":")}`;
  }

  /** The token; throws when it was sealed under another key or was changed. */
  open(stored: string): string {
    const [iv, tag, text] = stored.slice(PREFIX.length).split(":").map((part) => Buffer.from(part, "base64url"));
    if (!isSealed(stored) || !iv || !tag || !text) throw new Error("it is not a sealed token");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(text), decipher.final()]).toString("utf8");
    } catch {
      throw new Error("it was sealed under another key (NETATLAS_SECRET_KEY changed, or the data directory's secret.key was replaced or lost)");
    }
  }
}
