import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const packageDir = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "netatlas-core-pack-"));

// Other tools install @netatlas/core from its tarball: this is what they get.
describe("the published package", () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("installs from its npm pack tarball and works from plain Node, with types and the JSON Schema", () => {
    execFileSync("npm", ["run", "build"], { cwd: packageDir, stdio: "ignore" });
    const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: packageDir, encoding: "utf8" }).trim().split("\n").pop() as string;
    const project = join(work, "consumer");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", join(work, tarball)], { cwd: project, stdio: "ignore" });
    writeFileSync(
      join(project, "use.mjs"),
      [
        'import { parseIpRoutes, cidrsOverlap, NodeSnapshot, snapshotJsonSchema } from "@netatlas/core";',
        'import { createRequire } from "node:module";',
        'const routes = parseIpRoutes([{ dst: "default", gateway: "192.0.2.1", dev: "eth0" }], 1);',
        'const schema = createRequire(import.meta.url)("@netatlas/core/snapshot.schema.json");',
        "console.log(JSON.stringify({ dst: routes[0].dst, overlap: cidrsOverlap('10.0.0.0/8', '10.1.0.0/16'), title: schema.title, same: JSON.stringify(schema) === JSON.stringify(snapshotJsonSchema()), zod: typeof NodeSnapshot.parse }));",
      ].join("\n"),
    );
    const out = JSON.parse(execFileSync("node", ["use.mjs"], { cwd: project, encoding: "utf8" }));
    expect(out).toEqual({ dst: "0.0.0.0/0", overlap: true, title: "netatlas NodeSnapshot", same: true, zod: "function" });
    const installed = JSON.parse(readFileSync(join(project, "node_modules/@netatlas/core/package.json"), "utf8"));
    expect(installed.exports["."].types).toBe("./dist/index.d.ts");
    expect(readFileSync(join(project, "node_modules/@netatlas/core/dist/index.d.ts"), "utf8")).toContain("parseIpRoutes");
  }, 120_000);
});
