import { z } from "zod";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

export const ContainerEndpoint = lazySchema(() =>
  z.object({
    network: z.string(),
    ipv4: z.string().optional(),
    ipv6: z.string().optional(),
    mac: z.string().optional(),
    gateway: z.string().optional(),
  }),
);
export type ContainerEndpoint = z.infer<typeof ContainerEndpoint>;

export const Container = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    runtime: z.enum(["docker", "cri", "process"]),
    image: z.string().optional(),
    state: z.string(),
    pid: z.number().int().nonnegative().optional(),
    netns: NetnsId.optional(),
    /** bridge | host | none | container:<id> | the name of a user-defined network. */
    networkMode: z.string(),
    endpoints: z.array(ContainerEndpoint),
    ports: z.array(z.object({ hostIp: z.string().optional(), hostPort: z.number().int(), containerPort: z.number().int(), protocol: z.string() })).default([]),
  }),
);
export type Container = z.infer<typeof Container>;

/** The id of the container whose namespace this one joins (`container:<id>`), if any. */
export function joinedContainerId(c: Pick<Container, "networkMode">): string | undefined {
  return c.networkMode.startsWith("container:") ? c.networkMode.slice("container:".length) : undefined;
}
