import { noRules, type NamespaceState } from "@netatlas/core";
import type { KernelRead } from "../kernel-read.js";
import { parseNetSysctls } from "../net-sysctls.js";
import { decodeAddrs } from "./addrs.js";
import { loadNetlinkAddon, netlinkAddonProblem, type RawNamespaceDump } from "./addon.js";
import { configuredNames } from "./configured-names.js";
import { decodeFdb } from "./fdb.js";
import { decodeLinks, type LinkTable } from "./links.js";
import { splitMessages } from "./messages.js";
import type { ConfiguredNames } from "./names.js";
import { decodeNeighs } from "./neighs.js";
import { decodeRoutes } from "./routes.js";

/** The addon's raw dumps of the namespace `netns` as its state in the model, and the link table its devices were named by. */
export function decodeNamespaceDump(raw: RawNamespaceDump, names: ConfiguredNames, netns: number): { state: NamespaceState; linkTable: LinkTable } {
  const { links, table } = decodeLinks(splitMessages(raw.links), netns);
  const state: NamespaceState = {
    links,
    addresses: decodeAddrs(splitMessages(raw.addrs), links, table, names, netns),
    routes: decodeRoutes(splitMessages(raw.routes), table, names, netns),
    neighbors: decodeNeighs(splitMessages(raw.neighs), table, netns),
    fdb: decodeFdb(splitMessages(raw.fdb), table, netns),
    ...noRules(),
  };
  return { state, linkTable: table };
}

/**
 * Reads one namespace (whose id is `netns`) over rtnetlink in this process: no process
 * starts, and no JavaScript runs meanwhile (setns holds only for the calling thread). A
 * caller that follows notifications relies on that: what the socket queued during the
 * read is applied after it, so nothing falls between the two.
 */
export function readNamespaceNetlinkSync(path: string, netns: number): KernelRead {
  const addon = loadNetlinkAddon();
  if (!addon) throw new Error(netlinkAddonProblem() ?? "the netlink addon is not available");
  const raw = addon.dump(path);
  const sysctls = raw.sysctls === undefined ? {} : parseNetSysctls(raw.sysctls);
  return { ...decodeNamespaceDump(raw, configuredNames(), netns), sysctls: raw.ipForward === -1 ? sysctls : { ipForward: raw.ipForward === 1, ...sysctls } };
}

/** readNamespaceNetlinkSync as a NamespaceReader's read; timeoutMs is accepted for parity with the iproute2 reader, whose commands can hang. */
export async function readNamespaceNetlink(path: string, netns: number, _timeoutMs = 5_000): Promise<KernelRead> {
  return readNamespaceNetlinkSync(path, netns);
}
