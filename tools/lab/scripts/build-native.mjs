// Compiles the lab's two tiny C programs (the pause holder and the pod client)
// into dist/bin, and links `httpd` to busybox so the pod's server is named httpd.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "bin");
mkdirSync(out, { recursive: true });
for (const name of ["pause", "client"]) {
  execFileSync("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", join(out, name), join(root, "native", `${name}.c`)], { stdio: "inherit" });
}
const busybox = ["/bin/busybox", "/usr/bin/busybox"].find((p) => existsSync(p));
if (busybox) {
  rmSync(join(out, "httpd"), { force: true });
  symlinkSync(busybox, join(out, "httpd"));
}
