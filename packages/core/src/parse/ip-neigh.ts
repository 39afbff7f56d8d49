import { z } from "zod";
import type { Neighbor } from "../model/neighbor.js";
import { parseList } from "./parse-list.js";
import { lazySchema } from "../model/lazy-schema.js";

const IpNeighJson = lazySchema(() =>
  z.object({
    dst: z.string(),
    dev: z.string(),
    lladdr: z.string().optional(),
    state: z.array(z.string()).default([]),
    router: z.unknown().optional(),
  }),
);

/** Turns `ip -j neigh show` output of one namespace into Neighbors. */
export function parseIpNeighbors(json: unknown, netns: number): Neighbor[] {
  return parseList(IpNeighJson, json, "ip -j neigh").map((e): Neighbor => ({
    netns,
    family: e.dst.includes(":") ? 6 : 4,
    address: e.dst,
    dev: e.dev,
    lladdr: e.lladdr,
    state: e.state,
    // iproute2 prints `"router": null` for a flag without a value.
    router: "router" in e,
  }));
}
