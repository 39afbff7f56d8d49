import { z } from "zod";

/** The Trace form as the browser sends it; each message names what to fix in its field. */
export const TraceRequest = z
  .object({
    source: z.string().trim().min(1, "enter a pod, container, namespace or IP to start from"),
    destination: z.string().trim().min(1, "enter a pod or an IP to trace to"),
    protocol: z.enum(["icmp", "tcp", "udp"], { error: "protocol is icmp, tcp or udp" }).default("icmp"),
    port: z.number({ error: "port must be a number from 1 to 65535" }).int("port must be a whole number").min(1, "port must be at least 1").max(65_535, "port must be at most 65535").optional(),
    /** The IP packet's size, headers included (the trace's default is DEFAULT_TRACE_PACKET_SIZE). */
    packetSize: z.number({ error: "packetSize must be a number of bytes" }).int("packetSize must be a whole number").min(28, "packetSize must be at least 28 (the IP and ICMP headers)").max(65_535, "packetSize must be at most 65535").optional(),
  })
  .strict()
  .refine((r) => r.protocol === "icmp" || r.port !== undefined, { path: ["port"], message: "a tcp or udp trace needs a port" })
  .refine((r) => r.protocol !== "icmp" || r.port === undefined, { path: ["port"], message: "icmp has no port; leave it empty or choose tcp" });
export type TraceRequest = z.infer<typeof TraceRequest>;
