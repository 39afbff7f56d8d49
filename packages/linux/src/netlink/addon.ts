import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** What native/netlink_dump.c returns: each dump's raw messages, ip_forward (-1 when unreadable) and the filter's sysctls. */
export interface RawNamespaceDump {
  links: Buffer;
  addrs: Buffer;
  routes: Buffer;
  neighs: Buffer;
  fdb: Buffer;
  ipForward: number;
  /** "rp_filter/<conf> <value>" and "bridge-nf-call-ip(6)tables <value>" lines; absent from an addon built before it read them. */
  sysctls?: string;
}

export interface NetlinkAddon {
  /** Enters the namespace at nsPath in this thread, dumps, and returns to the thread's namespace. Throws on failure. */
  dump(nsPath: string): RawNamespaceDump;
  /**
   * The nsid the namespace at nsPath has given each target namespace (RTM_GETNSID with the
   * target's fd), or -1 where it has given none. Targets are paths as this process sees them.
   */
  nsids(nsPath: string, targetPaths: string[]): number[];
  /**
   * Listens to rtnetlink's link, address, route, neighbour (FDB included) and nsid groups
   * of the namespace at nsPath (default: this thread's) and, with NETLINK_LISTEN_ALL_NSID, of
   * every namespace with an nsid in it; onBatch runs on the event loop whenever messages are
   * queued. Throws when the socket cannot be made (NETLINK_LISTEN_ALL_NSID needs CAP_NET_BROADCAST).
   */
  subscribe(onBatch: (batch: RawNotificationBatch) => void, options?: { receiveBufferBytes?: number; nsPath?: string }): { fd: number; flush(): void; close(): void };
}

/** What native/notifications.c hands over per wake-up. */
export interface RawNotificationBatch {
  /** Whole netlink messages, 4-byte aligned, as a dump's. */
  messages: Buffer;
  /** Per message: the nsid our namespace gave its sender's, -1 for our own namespace. */
  nsids: Int32Array;
  /** The kernel dropped messages (ENOBUFS) or cut one (MSG_TRUNC): what is known may be wrong. */
  overflow: boolean;
  /** Reading failed for good; the subscription has stopped. */
  error?: string;
}

// src/netlink/ and dist/netlink/ both sit two levels below the package root, beside native/.
// A bundled program (the agent's bin) is elsewhere and says where the addon is.
const ADDON_PATH = process.env.NETATLAS_NETLINK_ADDON || fileURLToPath(new URL("../../native/build/Release/netatlas_netlink.node", import.meta.url));

let loaded: { addon?: NetlinkAddon; problem?: string } | undefined;

function load(): { addon?: NetlinkAddon; problem?: string } {
  if (!existsSync(ADDON_PATH)) return { problem: `the netlink addon is not built (${ADDON_PATH}; tools/run/setup.sh builds it)` };
  try {
    return { addon: createRequire(import.meta.url)(ADDON_PATH) as NetlinkAddon };
  } catch (error) {
    return { problem: `the netlink addon at ${ADDON_PATH} does not load: ${(error as Error).message}; rebuild it with tools/run/setup.sh` };
  }
}

/** The addon, or undefined when it is not built or does not load (then netlinkAddonProblem() says why). */
export function loadNetlinkAddon(): NetlinkAddon | undefined {
  loaded ??= load();
  return loaded.addon;
}

export function netlinkAddonProblem(): string | undefined {
  loaded ??= load();
  return loaded.problem;
}
