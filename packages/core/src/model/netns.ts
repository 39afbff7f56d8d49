import { z } from "zod";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

export const NetnsKind = lazySchema(() => z.enum(["host", "docker", "cni", "named", "unknown"]));
export type NetnsKind = z.infer<typeof NetnsKind>;

export const NetnsProcess = lazySchema(() =>
  z.object({
    pid: z.number().int().positive(),
    comm: z.string(),
  }),
);
export type NetnsProcess = z.infer<typeof NetnsProcess>;

/** Reverse-path filtering: 0 off, 1 strict (the route back must leave by the arrival interface), 2 loose (any route back). */
export const RpFilterMode = lazySchema(() => z.union([z.literal(0), z.literal(1), z.literal(2)]));
export type RpFilterMode = z.infer<typeof RpFilterMode>;

/** rp_filter of `all`, of `default` (what new interfaces get) and of each interface; the kernel applies max(all, interface). */
export const RpFilter = lazySchema(() => z.object({ all: RpFilterMode, default: RpFilterMode, interfaces: z.record(z.string(), RpFilterMode) }));
export type RpFilter = z.infer<typeof RpFilter>;

/** A network namespace, identified by its inode; names and paths are only labels. */
export const Netns = lazySchema(() =>
  z.object({
    id: NetnsId,
    kind: NetnsKind,
    /** Names it is known by: the file name under /var/run/netns, Docker's sandbox key, "host". */
    names: z.array(z.string()),
    /** Files that hold it open: bind mounts and /proc/PID/ns/net. */
    paths: z.array(z.string()),
    processes: z.array(NetnsProcess),
    /** net.ipv4.ip_forward inside this namespace, when it could be read. */
    ipForward: z.boolean().optional(),
    /** net.ipv4.conf.*.rp_filter inside this namespace, when it could be read. */
    rpFilter: RpFilter.optional(),
    /**
     * net.bridge.bridge-nf-call-iptables: bridged IPv4 frames also pass the ip/inet hooks, with
     * the bridge as their interface. Absent when br_netfilter is not loaded (or it was not read).
     */
    bridgeNfCallIptables: z.boolean().optional(),
    /** net.bridge.bridge-nf-call-ip6tables, the same for IPv6. */
    bridgeNfCallIp6tables: z.boolean().optional(),
  }),
);
export type Netns = z.infer<typeof Netns>;

/** The settings read inside a namespace with its kernel state; a key is absent when it could not be read. */
export type NetnsSysctls = Pick<Netns, "ipForward" | "rpFilter" | "bridgeNfCallIptables" | "bridgeNfCallIp6tables">;

/** The label a person reads for a namespace: its first name, else its inode. */
export function netnsLabel(ns: Pick<Netns, "id" | "names">): string {
  return ns.names[0] ?? `netns:${ns.id}`;
}
