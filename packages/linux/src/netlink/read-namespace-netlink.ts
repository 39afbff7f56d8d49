import type { NamespaceJson } from "@netatlas/core";
import { parseNetSysctls } from "../net-sysctls.js";
import type { Iproute2Read } from "../read-namespace-iproute2.js";
import { decodeAddrs } from "./addrs.js";
import { loadNetlinkAddon, netlinkAddonProblem, type RawNamespaceDump } from "./addon.js";
import { configuredNames } from "./configured-names.js";
import { decodeFdb } from "./fdb.js";
import { decodeLinks, type LinkTable } from "./links.js";
import { splitMessages } from "./messages.js";
import type { ConfiguredNames } from "./names.js";
import { decodeNeighs } from "./neighs.js";
import { decodeRoutes } from "./routes.js";

/** The addon's raw dumps as the JSON iproute2 would print for the same namespace, and the link table they were named by. */
export function decodeNamespaceDump(raw: RawNamespaceDump, names: ConfiguredNames): { json: NamespaceJson; linkTable: LinkTable } {
  const { links, table } = decodeLinks(splitMessages(raw.links));
  const { routes, routes6 } = decodeRoutes(splitMessages(raw.routes), table, names);
  const json = {
    links,
    addrs: decodeAddrs(splitMessages(raw.addrs), links, table, names),
    routes,
    routes6,
    neighs: decodeNeighs(splitMessages(raw.neighs), table),
    fdb: decodeFdb(splitMessages(raw.fdb), table),
  };
  return { json, linkTable: table };
}

/**
 * Reads one namespace over rtnetlink in this process: no process starts, and no
 * JavaScript runs meanwhile (setns holds only for the calling thread). A caller that
 * follows notifications relies on that: what the socket queued during the read is
 * applied after it, so nothing falls between the two.
 */
export function readNamespaceNetlinkSync(path: string): Iproute2Read {
  const addon = loadNetlinkAddon();
  if (!addon) throw new Error(netlinkAddonProblem() ?? "the netlink addon is not available");
  const raw = addon.dump(path);
  return { ...decodeNamespaceDump(raw, configuredNames()), ipForward: raw.ipForward === -1 ? undefined : raw.ipForward === 1, ...(raw.sysctls === undefined ? {} : { sysctls: parseNetSysctls(raw.sysctls) }) };
}

/** readNamespaceNetlinkSync as a NamespaceReader's read; timeoutMs is accepted for parity with the iproute2 reader, whose commands can hang. */
export async function readNamespaceNetlink(path: string, _timeoutMs = 5_000): Promise<Iproute2Read> {
  return readNamespaceNetlinkSync(path);
}
