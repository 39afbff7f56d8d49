import { z } from "zod";
import { lazySchema } from "./lazy-schema.js";

export const NodeInfo = lazySchema(() =>
  z.object({
    hostname: z.string(),
    os: z.string(),
    kernel: z.string(),
    arch: z.string(),
    cpus: z.number().int().nonnegative(),
    memoryBytes: z.number().nonnegative(),
    /** What the kernel could give without swapping (MemAvailable), when the reader looked. */
    memoryAvailableBytes: z.number().nonnegative().optional(),
    swapUsedBytes: z.number().nonnegative().optional(),
    interfaces: z.array(z.object({ name: z.string(), ip4: z.string().optional(), ip6: z.string().optional(), mac: z.string().optional(), mtu: z.number().optional(), virtual: z.boolean().optional() })),
  }),
);
export type NodeInfo = z.infer<typeof NodeInfo>;
