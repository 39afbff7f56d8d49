import { z } from "zod";

/**
 * The answer of `fleet.reachability`, the fleet's reachability matrix, checked here where
 * it enters the CLI rather than typed from the router: a dashboard older than this CLI
 * lacks the procedure or answers another shape, and the CLI says so instead of guessing.
 */
export const Reachability = z.object({
  nodes: z.array(z.string()),
  cells: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      state: z.enum(["delivered", "failed", "uncertain", "no-endpoint"]),
      /** The trace's verdict kind (no-route, mtu-too-small…), when a trace was made. */
      verdict: z.string().nullable().optional(),
      message: z.string(),
    }),
  ),
});
export type Reachability = z.infer<typeof Reachability>;
export type ReachabilityCell = Reachability["cells"][number];
