import { z } from "zod";
import { lazySchema } from "./lazy-schema.js";

/** A Linux interface name as the kernel accepts it: 1-15 bytes, no '/', ':' or whitespace. */
export const InterfaceName = z
  .string()
  .min(1, "an interface name needs at least 1 character")
  .max(15, "an interface name has at most 15 characters (IFNAMSIZ)")
  .regex(/^[^/:\s]+$/, "an interface name may not contain '/', ':' or whitespace")
  .refine((name) => name !== "." && name !== "..", "an interface name may not be '.' or '..'");

/**
 * What iproute2's batch reader (`ip -batch`, `bridge -batch`; makeargs in its
 * lib/utils.c) would not hand back as written: it cuts a line at the first `#`,
 * takes a word that starts with a quote as quoted, and joins a line ending in a
 * backslash to the next. The kernel accepts all of these in a name.
 */
const BATCH_UNSAFE: ReadonlyArray<readonly [RegExp, string]> = [
  [/#/, "'#' (ip -batch reads the rest of its line as a comment, so the command would lose its end)"],
  [/["']/, "a quote (ip -batch reads a word that starts with one as a quoted string)"],
  [/\\/, "a backslash (ip -batch reads one at a line's end as a continuation)"],
  // eslint-disable-next-line no-control-regex -- the control characters are what it looks for
  [/[\u0000-\u001f\u007f-\u009f]/, "a control character"],
];

/**
 * An interface name netatlas creates, changes or names in a command it writes
 * (intents, fleet specs, ops that add or change): an InterfaceName that
 * iproute2's batch syntax carries unchanged. Names read from the kernel stay
 * InterfaceName, as the kernel has them.
 */
export const WritableInterfaceName = lazySchema(() =>
  InterfaceName.superRefine((name, ctx) => {
    for (const [pattern, what] of BATCH_UNSAFE) if (pattern.test(name)) ctx.addIssue({ code: "custom", message: `an interface name netatlas writes may not contain ${what}; use a name without it` });
  }),
);

/** A network namespace's identity: the inode of its nsfs file (`stat -L /proc/PID/ns/net`). */
export const NetnsId = lazySchema(() => z.number().int().nonnegative());
export type NetnsId = z.infer<typeof NetnsId>;

/** A MAC address as iproute2 prints it. */
export const MacAddress = lazySchema(() => z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, "a MAC address looks like aa:bb:cc:dd:ee:ff"));
