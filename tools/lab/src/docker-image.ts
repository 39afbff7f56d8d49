import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "@netatlas/linux";
import { dockerIn } from "./docker-daemon.js";

/** The lab's only image, imported on each Docker node from Debian's busybox-static: no registry involved. */
export const LAB_IMAGE = "netatlas-lab/busybox:1.35";
export const BUSYBOX = "/bin/busybox";

/**
 * A root filesystem of one static busybox and its applet links, with a page for
 * the pod's HTTP server at /www, imported into the node's dockerd from a tar.
 */
export async function importLabImage(nodePid: number, nodeDir: string, page: string): Promise<void> {
  const rootfs = join(nodeDir, "image-rootfs");
  const tar = join(nodeDir, "image.tar");
  mkdirSync(join(rootfs, "bin"), { recursive: true });
  mkdirSync(join(rootfs, "www"), { recursive: true });
  copyFileSync(BUSYBOX, join(rootfs, "bin", "busybox"));
  chmodSync(join(rootfs, "bin", "busybox"), 0o755);
  writeFileSync(join(rootfs, "www", "index.html"), page);
  try {
    await run(["chroot", rootfs, "/bin/busybox", "--install", "-s", "/bin"]);
    await run(["tar", "--numeric-owner", "-C", rootfs, "-cf", tar, "."]);
    await run(dockerIn(nodePid, ["import", tar, LAB_IMAGE]), { timeoutMs: 30_000 });
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
    rmSync(tar, { force: true });
  }
}
