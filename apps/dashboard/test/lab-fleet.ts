import { readFileSync } from "node:fs";
import { z } from "zod";
import { NodeSnapshot } from "@netatlas/core";

/** Two snapshots recorded from a 2-node VXLAN lab (node2 runs dockerd with a `labnet` network). */
export function labFleet(): NodeSnapshot[] {
  return z.array(NodeSnapshot).parse(JSON.parse(readFileSync(new URL("./fixtures/lab-fleet.json", import.meta.url), "utf8")));
}
