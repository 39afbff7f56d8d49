import { z } from "zod";
import type { Address } from "../model/address.js";
import { parseList } from "./parse-list.js";
import { lazySchema } from "../model/lazy-schema.js";

const IpAddrJson = lazySchema(() =>
  z.object({
    ifindex: z.number(),
    ifname: z.string(),
    addr_info: z
      .array(
        z.object({
          family: z.string(),
          local: z.string().optional(),
          prefixlen: z.number().optional(),
          scope: z.string().default("global"),
          broadcast: z.string().optional(),
        }),
      )
      .default([]),
  }),
);

/** Turns `ip -j addr show` output of one namespace into Addresses. */
export function parseIpAddresses(json: unknown, netns: number): Address[] {
  return parseList(IpAddrJson, json, "ip -j addr").flatMap((link) =>
    link.addr_info
      .filter((a) => (a.family === "inet" || a.family === "inet6") && a.local !== undefined)
      .map((a): Address => ({
        netns,
        ifindex: link.ifindex,
        ifname: link.ifname,
        family: a.family === "inet" ? 4 : 6,
        address: a.local as string,
        prefixLength: a.prefixlen ?? (a.family === "inet" ? 32 : 128),
        scope: a.scope,
        broadcast: a.broadcast,
      })),
  );
}
