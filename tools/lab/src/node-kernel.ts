import { z } from "zod";
import { run } from "@netatlas/linux";
import { inNodeNet } from "./enter.js";

/**
 * Reads of a lab node's network namespace through `ip -j` and `bridge -j`,
 * checked where iproute2's JSON enters the lab: the fabrics and faults build
 * commands from what they read.
 */

const json = async (pid: number, argv: string[]): Promise<unknown> => JSON.parse((await run(inNodeNet(pid, argv))).stdout.trim() || "[]");

export const VxlanLink = z.object({
  ifname: z.string(),
  mtu: z.number().int(),
  /** The device's MAC: what its peers' neighbour and FDB entries must name. */
  address: z.string(),
  flags: z.array(z.string()).default([]),
  ifalias: z.string().optional(),
  linkinfo: z.object({
    info_kind: z.literal("vxlan"),
    info_data: z.object({ id: z.number().int(), local: z.string(), link: z.string(), port: z.number().int(), learning: z.boolean() }),
  }),
});
export type VxlanLink = z.infer<typeof VxlanLink>;

/** The VXLAN device `name` of the node, or undefined when there is none. */
export async function readVxlanLink(pid: number, name: string): Promise<VxlanLink | undefined> {
  const links = z.array(z.object({ ifname: z.string() }).passthrough()).parse(await json(pid, ["ip", "-j", "-d", "link", "show", "type", "vxlan"]));
  const link = links.find((l) => l.ifname === name);
  if (!link) return undefined;
  const parsed = VxlanLink.safeParse(link);
  if (!parsed.success) throw new Error(`${name} in node pid ${pid}: iproute2's description is not a VXLAN link the lab understands: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

export const RouteEntry = z.object({
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string(),
  /** iproute2's name (boot, kernel) or number (157, netatlas's). */
  protocol: z.string(),
  flags: z.array(z.string()).default([]),
});
export type RouteEntry = z.infer<typeof RouteEntry>;

/** Unicast routes of the main table, optionally only those through `dev`. `ip route show dev X` leaves the dev out: it is put back. */
export async function readRoutes(pid: number, dev?: string): Promise<RouteEntry[]> {
  const raw = z.array(z.object({ type: z.string().optional(), dst: z.string() }).passthrough()).parse(await json(pid, ["ip", "-j", "-d", "route", "show", "table", "main", ...(dev ? ["dev", dev] : [])]));
  return raw.filter((r) => (r.type ?? "unicast") === "unicast").map((r) => RouteEntry.parse(dev ? { ...r, dev } : r));
}

/** argv that puts `route` back exactly: the same gateway, device, onlink flag and protocol. */
export function routeArgv(route: RouteEntry): string[] {
  const via = route.gateway ? ["via", route.gateway] : [];
  const onlink = route.flags.includes("onlink") ? ["onlink"] : [];
  return ["ip", "route", "replace", route.dst, ...via, "dev", route.dev, ...onlink, "proto", route.protocol];
}

export const NeighEntry = z.object({ dst: z.string(), lladdr: z.string() });
export type NeighEntry = z.infer<typeof NeighEntry>;

/** The permanent neighbours on `dev`: on a VXLAN device, the peers' VTEP addresses and MACs. */
export async function readPermanentNeighbors(pid: number, dev: string): Promise<NeighEntry[]> {
  return z.array(NeighEntry).parse(await json(pid, ["ip", "-j", "neigh", "show", "dev", dev, "nud", "permanent"]));
}

export const FdbEntry = z.object({ mac: z.string(), dst: z.string().optional(), state: z.string().optional() });
export type FdbEntry = z.infer<typeof FdbEntry>;

/** The permanent FDB entries with a destination on `dev`: on a VXLAN device, which node each MAC lives at. */
export async function readPermanentFdb(pid: number, dev: string): Promise<Array<FdbEntry & { dst: string }>> {
  const entries = z.array(FdbEntry).parse(await json(pid, ["bridge", "-j", "fdb", "show", "dev", dev]));
  return entries.filter((f): f is FdbEntry & { dst: string } => f.state === "permanent" && f.dst !== undefined);
}

/** The IPv4 addresses on `dev`, as CIDRs. */
export async function readIpv4Addresses(pid: number, dev: string): Promise<string[]> {
  const links = z
    .array(z.object({ addr_info: z.array(z.object({ family: z.string(), local: z.string(), prefixlen: z.number().int() })).default([]) }))
    .parse(await json(pid, ["ip", "-j", "addr", "show", "dev", dev]));
  return links.flatMap((l) => l.addr_info.filter((a) => a.family === "inet").map((a) => `${a.local}/${a.prefixlen}`));
}
