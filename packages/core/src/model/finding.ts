import { z } from "zod";
import { lazySchema } from "./lazy-schema.js";

export const Severity = lazySchema(() => z.enum(["info", "warning", "error", "critical"]));
export type Severity = z.infer<typeof Severity>;

export const Finding = lazySchema(() =>
  z.object({
    /** Stable machine name, e.g. "cidr-overlap". */
    code: z.string(),
    severity: Severity,
    message: z.string(),
    /** What a person should do about it. */
    hint: z.string().optional(),
    /**
     * The command(s) that would mend it, each after the node to run it on
     * (`node1: ip route replace 10.244.1.0/24 via 192.168.50.12 dev eth0`), "; " between them.
     * Findings recorded before it existed have none.
     */
    fix: z.string().optional(),
    /** What it is about: "node/netns/ifname", CIDRs, pod keys. */
    subjects: z.array(z.string()),
  }),
);
export type Finding = z.infer<typeof Finding>;

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3 };

export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
}
