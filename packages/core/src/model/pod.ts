import { z } from "zod";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

/** A Kubernetes pod: one namespace held by its sandbox (pause) process, shared by its containers. */
export const Pod = lazySchema(() =>
  z.object({
    namespace: z.string(),
    name: z.string(),
    uid: z.string().optional(),
    /** The sandbox (pause) container: its id, holder PID and whether that process still lives. */
    sandbox: z.object({ id: z.string(), pid: z.number().int().nonnegative().optional(), alive: z.boolean() }),
    netns: NetnsId.optional(),
    netnsPath: z.string().optional(),
    ips: z.array(z.string()),
    ifname: z.string().optional(),
    /** The CNI network that attached it, from the runtime's result cache. */
    network: z.string().optional(),
    containers: z.array(z.object({ name: z.string(), pid: z.number().int().positive().optional(), command: z.string().optional() })),
    /** What the Kubernetes API says of it, when the agent runs in a cluster. */
    kubernetes: z
      .object({
        phase: z.string().optional(),
        containers: z.array(z.object({ name: z.string(), ready: z.boolean().optional(), id: z.string().optional() })),
      })
      .optional(),
  }),
);
export type Pod = z.infer<typeof Pod>;

export function podKey(p: Pick<Pod, "namespace" | "name">): string {
  return `${p.namespace}/${p.name}`;
}
