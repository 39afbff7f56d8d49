import { z } from "zod";
import type { FdbEntry } from "../model/fdb.js";
import { parseList } from "./parse-list.js";
import { lazySchema } from "../model/lazy-schema.js";

const BridgeFdbJson = lazySchema(() =>
  z.object({
    mac: z.string(),
    ifname: z.string(),
    master: z.string().optional(),
    vlan: z.number().optional(),
    dst: z.string().optional(),
    flags: z.array(z.string()).default([]),
    state: z.string().default(""),
  }),
);

/** Turns `bridge -j fdb show` output of one namespace into FDB entries. */
export function parseBridgeFdb(json: unknown, netns: number): FdbEntry[] {
  return parseList(BridgeFdbJson, json, "bridge -j fdb").map((e): FdbEntry => ({
    netns,
    mac: e.mac,
    dev: e.ifname,
    master: e.master,
    vlan: e.vlan,
    dst: e.dst,
    state: e.state,
    flags: e.flags,
  }));
}
