import { z } from "zod";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

export const LinkKind = lazySchema(() => z.enum(["veth", "bridge", "vxlan", "loopback", "device", "other"]));
export type LinkKind = z.infer<typeof LinkKind>;

/** A link is identified by (namespace, ifindex). */
export const LinkRef = lazySchema(() => z.object({ netns: NetnsId, ifindex: z.number().int().positive() }));
export type LinkRef = z.infer<typeof LinkRef>;

export const VxlanInfo = lazySchema(() =>
  z.object({
    vni: z.number().int().nonnegative(),
    port: z.number().int().optional(),
    local: z.string().optional(),
    /** Unicast remote or multicast group, when one is set on the device. */
    remote: z.string().optional(),
    /** The underlay device's name. */
    device: z.string().optional(),
    learning: z.boolean().optional(),
    /** The outer packet's DF bit: "unset" (the kernel's default: fragmented when too large), "set", or "inherit" from the inner packet. */
    df: z.enum(["unset", "set", "inherit"]).optional(),
  }),
);
export type VxlanInfo = z.infer<typeof VxlanInfo>;

export const Link = lazySchema(() =>
  z.object({
    netns: NetnsId,
    ifindex: z.number().int().positive(),
    name: z.string(),
    kind: LinkKind,
    /** The kernel's own kind (`info_kind`), e.g. "dummy", "macvlan"; absent for physical devices. */
    driver: z.string().optional(),
    mtu: z.number().int().nonnegative(),
    /** operstate: UP, DOWN, UNKNOWN, LOWERLAYERDOWN, ... */
    state: z.string(),
    flags: z.array(z.string()),
    mac: z.string().optional(),
    alias: z.string().optional(),
    /** ifindex of the bridge (or bond) this link is a port of, in the same namespace. */
    master: z.number().int().positive().optional(),
    /** IFLA_LINK: the peer's ifindex (veth) or the lower device; in another namespace when linkNetnsid is set. */
    linkIndex: z.number().int().nonnegative().optional(),
    /** The peer namespace's id as seen from this namespace (IFLA_LINK_NETNSID), not an inode. */
    linkNetnsid: z.number().int().optional(),
    /** The peer namespace's name, when iproute2 could resolve the netnsid to one (`link-netns`). */
    linkNetnsName: z.string().optional(),
    /** The namespace (inode) linkNetnsid stands for, when the kernel was asked (RTM_GETNSID) from this link's namespace. */
    linkNetns: NetnsId.optional(),
    /** The peer link when it was found in the snapshot (topology fills this in). */
    peer: LinkRef.optional(),
    vxlan: VxlanInfo.optional(),
  }),
);
export type Link = z.infer<typeof Link>;

const KINDS_BY_DRIVER: Readonly<Record<string, LinkKind>> = { veth: "veth", bridge: "bridge", vxlan: "vxlan" };

/** A link's kind: loopback by its link type, else by its driver (IFLA_INFO_KIND); a link without a driver is a device. */
export function linkKind(driver: string | undefined, loopback: boolean): LinkKind {
  if (loopback) return "loopback";
  if (!driver) return "device";
  return KINDS_BY_DRIVER[driver] ?? "other";
}

export function linkKey(ref: LinkRef): string {
  return `${ref.netns}/${ref.ifindex}`;
}
