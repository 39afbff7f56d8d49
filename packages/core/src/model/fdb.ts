import { z } from "zod";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

/** A bridge or VXLAN forwarding-database entry (`bridge fdb`). */
export const FdbEntry = lazySchema(() =>
  z.object({
    netns: NetnsId,
    mac: z.string(),
    dev: z.string(),
    master: z.string().optional(),
    vlan: z.number().int().optional(),
    /** VXLAN: the remote underlay address this MAC is reached through. */
    dst: z.string().optional(),
    state: z.string(),
    flags: z.array(z.string()),
  }),
);
export type FdbEntry = z.infer<typeof FdbEntry>;
