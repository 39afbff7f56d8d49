import { allocate, allocateDocker, type Allocation, type DockerAllocation, type FleetSpec } from "@netatlas/core";
import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/open";
import { fleetSpecs } from "../db/schema";
import { diffSpecs, type FieldChange } from "../../fleet/spec-diff";

export interface SpecVersion {
  version: number;
  savedAt: string;
  author: string;
  spec: FleetSpec;
  allocation: Allocation;
  dockerAllocation: DockerAllocation;
  changes: FieldChange[];
}

/** The spec cannot be allocated (e.g. its Docker range is too small for its networks). */
export class SpecAllocationError extends Error {
  override name = "SpecAllocationError";
}

/** Someone saved a newer version since this one was loaded into the editor. */
export class SpecVersionConflict extends Error {
  override name = "SpecVersionConflict";
}

const view = (r: typeof fleetSpecs.$inferSelect): SpecVersion => ({ version: r.version, savedAt: r.savedAt.toISOString(), author: r.author, spec: r.spec as FleetSpec, allocation: r.allocation, dockerAllocation: r.dockerAllocation, changes: r.changes as FieldChange[] });

export async function latestSpec(db: Db): Promise<SpecVersion | undefined> {
  const [row] = await db.select().from(fleetSpecs).orderBy(desc(fleetSpecs.version)).limit(1);
  return row && view(row);
}

export async function specVersion(db: Db, version: number): Promise<SpecVersion | undefined> {
  const [row] = await db.select().from(fleetSpecs).where(eq(fleetSpecs.version, version));
  return row && view(row);
}

/** Every version, newest first, without the specs themselves. */
export async function specHistory(db: Db) {
  const rows = await db.select({ version: fleetSpecs.version, savedAt: fleetSpecs.savedAt, author: fleetSpecs.author, changes: fleetSpecs.changes }).from(fleetSpecs).orderBy(desc(fleetSpecs.version));
  return rows.map((r) => ({ version: r.version, savedAt: r.savedAt.toISOString(), author: r.author, changes: r.changes as FieldChange[] }));
}

/**
 * Saves a validated spec as the next version. Nodes keep the subnets the
 * previous version gave them (Docker hosts their networks' subnets; for the
 * first version with a docker section, the subnets their dockerd has now: `dockerNow`);
 * `baseVersion` is the version the editor started from (null for the first),
 * so two people never overwrite each other unseen.
 */
export async function saveSpec(db: Db, spec: FleetSpec, author: string, baseVersion: number | null, dockerNow: DockerAllocation = {}): Promise<SpecVersion> {
  const previous = await latestSpec(db);
  if ((previous?.version ?? null) !== baseVersion) throw new SpecVersionConflict(`version ${previous?.version} was saved since you loaded ${baseVersion === null ? "the empty spec" : `version ${baseVersion}`}; reload it and apply your change again`);
  const allocation = allocate(spec, previous?.allocation);
  let dockerAllocation: DockerAllocation;
  try {
    // Until a version has a Docker allocation (the first spec, or one before the docker section), dockerd's is the one to keep.
    const kept = previous && Object.keys(previous.dockerAllocation).length ? previous.dockerAllocation : dockerNow;
    dockerAllocation = allocateDocker(spec, kept);
  } catch (error) {
    throw new SpecAllocationError((error as Error).message);
  }
  const changes = diffSpecs(previous?.spec ?? {}, spec);
  const version = (previous?.version ?? 0) + 1;
  // The version is the primary key: a concurrent save of the same number fails here instead of overwriting.
  const [row] = await db.insert(fleetSpecs).values({ version, author, spec, allocation, dockerAllocation, changes }).onConflictDoNothing().returning();
  if (!row) throw new SpecVersionConflict(`version ${version} was saved at the same moment; reload it and apply your change again`);
  return view(row);
}
