import { z } from "zod";
import { NodeSnapshot } from "../model/snapshot.js";

/** The NodeSnapshot format as a JSON Schema (draft 2020-12), for tools that read snapshots without netatlas. */
export function snapshotJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(NodeSnapshot, { target: "draft-2020-12", io: "output" }),
    $id: "https://netatlas.dev/schemas/node-snapshot.json",
    title: "netatlas NodeSnapshot",
    description: "One node's container networks as read by the netatlas agent: namespaces, links, addresses, routes, neighbours, FDB, NAT and filter rules, Docker containers and networks, and Kubernetes pods.",
  };
}
