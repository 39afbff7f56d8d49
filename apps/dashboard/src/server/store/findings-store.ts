import { and, eq, notInArray } from "drizzle-orm";
import type { Finding } from "@netatlas/core";
import type { Db } from "../db/open";
import { findings } from "../db/schema";

export function findingKey(f: Finding): string {
  return `${f.code}|${[...f.subjects].sort().join(",")}`;
}

/** Makes the stored findings of a node those it has now, keeping when each was first seen. */
export async function replaceFindings(db: Db, node: string, current: readonly Finding[], at: Date): Promise<void> {
  const unique = new Map(current.map((f) => [findingKey(f), f]));
  await db.transaction(async (tx) => {
    const keys = [...unique.keys()];
    await tx.delete(findings).where(keys.length ? and(eq(findings.node, node), notInArray(findings.key, keys)) : eq(findings.node, node));
    for (const [key, f] of unique) {
      await tx
        .insert(findings)
        .values({ node, key, code: f.code, severity: f.severity, message: f.message, hint: f.hint ?? null, subjects: f.subjects, firstSeenAt: at, lastSeenAt: at })
        .onConflictDoUpdate({ target: [findings.node, findings.key], set: { severity: f.severity, message: f.message, hint: f.hint ?? null, lastSeenAt: at } });
    }
  });
}

export async function storedFindings(db: Db, node?: string) {
  return db.select().from(findings).where(node ? eq(findings.node, node) : undefined).orderBy(findings.node, findings.code);
}
