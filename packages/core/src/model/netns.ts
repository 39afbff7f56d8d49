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
  }),
);
export type Netns = z.infer<typeof Netns>;

/** The label a person reads for a namespace: its first name, else its inode. */
export function netnsLabel(ns: Pick<Netns, "id" | "names">): string {
  return ns.names[0] ?? `netns:${ns.id}`;
}
