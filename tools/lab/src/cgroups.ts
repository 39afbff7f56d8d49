import { readdirSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Where cgroup hierarchies are mounted in this mount namespace (v1 controllers and v2). */
function cgroupMounts(): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((line) => / - cgroup2? /.test(line))
    .map((line) => line.split(" ")[4] as string);
}

/** Directories below `dir` (to `depth` levels) whose name starts with `prefix`, deepest first within each. */
function findCgroups(dir: string, prefix: string, depth: number): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isDirectory()).flatMap((e) => (e.name.startsWith(prefix) ? [join(dir, e.name)] : depth > 1 ? findCgroups(join(dir, e.name), prefix, depth - 1) : []));
}

function childrenFirst(dir: string): string[] {
  return [...findCgroups(dir, "", 1).flatMap(childrenFirst), dir];
}

/**
 * Removes the cgroups that a lab's dockerds made (named by `cgroupPrefix`, in
 * every hierarchy, also nested below the cgroup the lab ran in) once their
 * processes are gone. A memory cgroup lingers a moment after its last process
 * exits, so removal is retried for `timeoutMs`. Returns what is still left.
 */
export async function removeCgroups(cgroupPrefix: string, timeoutMs = 3_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left: string[] = [];
    for (const top of cgroupMounts().flatMap((m) => findCgroups(m, cgroupPrefix, 4))) {
      for (const dir of childrenFirst(top)) {
        try {
          rmdirSync(dir);
        } catch {
          left.push(dir);
        }
      }
    }
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(100);
  }
}
