import { z } from "zod";
import { IpFamily } from "./address.js";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

export const Neighbor = lazySchema(() =>
  z.object({
    netns: NetnsId,
    family: IpFamily,
    address: z.string(),
    dev: z.string(),
    lladdr: z.string().optional(),
    /** NUD states: REACHABLE, STALE, PERMANENT, FAILED, ... */
    state: z.array(z.string()),
    router: z.boolean(),
  }),
);
export type Neighbor = z.infer<typeof Neighbor>;
