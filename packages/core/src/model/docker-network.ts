import { z } from "zod";
import { lazySchema } from "./lazy-schema.js";

export const DockerNetwork = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    driver: z.string(),
    scope: z.string(),
    internal: z.boolean(),
    subnets: z.array(z.object({ subnet: z.string(), gateway: z.string().optional() })),
    /** The Linux bridge behind a bridge network (com.docker.network.bridge.name, or br-<id12>). */
    bridge: z.string().optional(),
    masquerade: z.boolean().optional(),
    icc: z.boolean().optional(),
    mtu: z.number().int().optional(),
    options: z.record(z.string(), z.string()),
    labels: z.record(z.string(), z.string()).optional(),
    endpoints: z.array(z.object({ containerId: z.string(), name: z.string(), ipv4: z.string().optional(), mac: z.string().optional() })),
  }),
);
export type DockerNetwork = z.infer<typeof DockerNetwork>;
