import { existsSync, watch, type FSWatcher } from "node:fs";
import type { Logger } from "pino";

/**
 * Calls onChange when a namespace file appears in or leaves one of `dirs` (`ip netns
 * add/delete`, a container runtime's sandbox), so a namespace nothing joins to ours by
 * a veth (it has no nsid here, so it sends no notifications) is read when it comes. A
 * directory that does not exist yet is not watched: the periodic full read finds what
 * appears there later.
 */
export function watchNetnsDirs(dirs: readonly string[], onChange: () => void, log: Logger): { close(): void } {
  const watchers: FSWatcher[] = [];
  for (const dir of new Set(dirs)) {
    if (!existsSync(dir)) continue;
    try {
      const watcher = watch(dir, { persistent: false }, () => onChange());
      watcher.on("error", (error) => log.warn({ err: error, dir }, "watching a netns directory failed; namespaces there are found by the periodic full read"));
      watchers.push(watcher);
    } catch (error) {
      log.warn({ err: error, dir }, "cannot watch a netns directory; namespaces there are found by the periodic full read");
    }
  }
  return { close: () => watchers.forEach((w) => w.close()) };
}
