import { z } from "zod";
import { lazySchema } from "../model/lazy-schema.js";

/** The parts of Docker Engine API answers netatlas reads; other fields are ignored, so other API versions parse too. */
const EndpointJson = lazySchema(() =>
  z.object({
    NetworkID: z.string().optional(),
    IPAddress: z.string().optional(),
    GlobalIPv6Address: z.string().optional(),
    Gateway: z.string().optional(),
    MacAddress: z.string().optional(),
  }),
);

/** `GET /containers/{id}/json` */
export const ContainerInspectJson = lazySchema(() =>
  z.object({
    Id: z.string(),
    Name: z.string().default(""),
    Config: z.object({ Image: z.string().optional() }).partial().default({}),
    State: z.object({ Status: z.string().default("unknown"), Pid: z.number().default(0) }).partial().default({}),
    HostConfig: z.object({ NetworkMode: z.string().default("default") }).partial().default({}),
    NetworkSettings: z
      .object({
        SandboxKey: z.string().optional(),
        Networks: z.record(z.string(), EndpointJson).nullable().default({}),
        Ports: z.record(z.string(), z.array(z.object({ HostIp: z.string().optional(), HostPort: z.string() })).nullable()).nullable().default({}),
      })
      .partial()
      .default({}),
  }),
);
export type ContainerInspectJson = z.infer<typeof ContainerInspectJson>;

/** `GET /networks/{id}` */
export const NetworkInspectJson = lazySchema(() =>
  z.object({
    Id: z.string(),
    Name: z.string(),
    Driver: z.string().default(""),
    Scope: z.string().default("local"),
    Internal: z.boolean().default(false),
    IPAM: z.object({ Config: z.array(z.object({ Subnet: z.string().optional(), Gateway: z.string().optional() })).nullable().default([]) }).partial().default({}),
    Options: z.record(z.string(), z.string()).nullable().default({}),
    Labels: z.record(z.string(), z.string()).nullable().default({}),
    Containers: z.record(z.string(), z.object({ Name: z.string().default(""), MacAddress: z.string().optional(), IPv4Address: z.string().optional() })).nullable().default({}),
  }),
);
export type NetworkInspectJson = z.infer<typeof NetworkInspectJson>;
