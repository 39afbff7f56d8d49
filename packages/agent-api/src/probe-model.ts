import { Ip4 } from "@netatlas/core";
import { z } from "zod";

export const ProbeInput = z
  .object({
    /** The namespace to probe from: its inode or one of its names. */
    netns: z.union([z.number().int().nonnegative(), z.string().min(1).max(255)]),
    target: Ip4,
    protocol: z.enum(["icmp", "tcp"]).default("icmp"),
    port: z.number().int().min(1).max(65_535).optional(),
    /** Bounded: a probe is a check, not a load test. */
    count: z.number().int().min(1).max(5).default(3),
    timeoutMs: z.number().int().min(100).max(3_000).default(1_000),
    /** ICMP only: the IP packet's size in bytes, headers included (as the trace's packetSize), sent with DF set. */
    packetSize: z.number().int().min(28).max(9_000).optional(),
  })
  .strict()
  .refine((p) => p.protocol !== "tcp" || p.port !== undefined, { path: ["port"], message: "a tcp probe needs a port" })
  .refine((p) => p.protocol === "icmp" || p.packetSize === undefined, { path: ["packetSize"], message: "packetSize is for icmp probes only (a tcp probe only connects)" });
export type ProbeInput = z.infer<typeof ProbeInput>;

export const ProbeResult = z.object({
  node: z.string(),
  netns: z.number().int(),
  target: z.string(),
  protocol: z.enum(["icmp", "tcp"]),
  port: z.number().int().optional(),
  packetSize: z.number().int().optional(),
  attempts: z.array(z.object({ ok: z.boolean(), rttMs: z.number().optional(), error: z.string().optional() })),
  /** `ip route get` in that namespace: the kernel's own first hop. */
  routeGet: z.object({ dev: z.string().optional(), gateway: z.string().optional(), prefsrc: z.string().optional(), type: z.string().optional() }).optional(),
  routeError: z.string().optional(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

/** A probe the agent will not send (outside the fleet, or an unknown namespace). */
export class ProbeRefusedError extends Error {
  override name = "ProbeRefusedError";
  constructor(
    readonly field: "netns" | "target",
    message: string,
  ) {
    super(message);
  }
}
