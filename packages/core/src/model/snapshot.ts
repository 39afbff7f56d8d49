import { z } from "zod";
import { Address } from "./address.js";
import { Container } from "./container.js";
import { DockerNetwork } from "./docker-network.js";
import { FdbEntry } from "./fdb.js";
import { FilterRuleset } from "./filter.js";
import { Link } from "./link.js";
import { NatRule } from "./nat.js";
import { Neighbor } from "./neighbor.js";
import { Netns } from "./netns.js";
import { NodeInfo } from "./node-info.js";
import { Pod } from "./pod.js";
import { Route } from "./route.js";
import { lazySchema } from "./lazy-schema.js";

/** 2 added the filter rules and the rp_filter and bridge-nf-call sysctls; version 1 snapshots still parse (without them). */
export const SNAPSHOT_SCHEMA_VERSION = 2;

/** Everything one node's agent knows about its node's networks at one moment. */
export const NodeSnapshot = lazySchema(() =>
  z.object({
    schemaVersion: z.union([z.literal(1), z.literal(SNAPSHOT_SCHEMA_VERSION)]),
    node: z.string(),
    collectedAt: z.string().datetime({ offset: true }),
    /** How the kernel state was read: in-process rtnetlink, or `ip -j` processes. */
    reader: z.enum(["netlink", "iproute2"]),
    info: NodeInfo,
    namespaces: z.array(Netns),
    links: z.array(Link),
    addresses: z.array(Address),
    routes: z.array(Route),
    neighbors: z.array(Neighbor),
    fdb: z.array(FdbEntry),
    nat: z.array(NatRule),
    /** The filter chains of the namespaces whose nft ruleset was read; absent in version 1, where the trace says nothing of filters. */
    filter: FilterRuleset.optional(),
    containers: z.array(Container),
    dockerNetworks: z.array(DockerNetwork),
    pods: z.array(Pod),
    /** What could not be read, and why; the rest of the snapshot is still valid. */
    warnings: z.array(z.string()),
  }),
);
export type NodeSnapshot = z.infer<typeof NodeSnapshot>;
