#!/usr/bin/env node
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// The bundle starts twice as fast as the module tree; it finds the netlink addon
// through the installed @netatlas/linux package, since it no longer sits beside it.
const bundle = new URL("../dist/bundle/main.js", import.meta.url);
if (existsSync(bundle)) {
  if (!process.env.NETATLAS_NETLINK_ADDON) {
    try {
      const linux = dirname(createRequire(import.meta.url).resolve("@netatlas/linux/package.json"));
      process.env.NETATLAS_NETLINK_ADDON = join(linux, "native", "build", "Release", "netatlas_netlink.node");
    } catch {
      // Without the package the agent falls back to iproute2 and says so in the snapshot.
    }
  }
  await import(bundle.href);
} else {
  await import("../dist/main.js");
}
