import { z } from "zod";
import { lazySchema } from "./lazy-schema.js";

/** A Linux interface name as the kernel accepts it: 1-15 bytes, no '/', ':' or whitespace. */
export const InterfaceName = z
  .string()
  .min(1, "an interface name needs at least 1 character")
  .max(15, "an interface name has at most 15 characters (IFNAMSIZ)")
  .regex(/^[^/:\s]+$/, "an interface name may not contain '/', ':' or whitespace")
  .refine((name) => name !== "." && name !== "..", "an interface name may not be '.' or '..'");

/** A network namespace's identity: the inode of its nsfs file (`stat -L /proc/PID/ns/net`). */
export const NetnsId = lazySchema(() => z.number().int().nonnegative());
export type NetnsId = z.infer<typeof NetnsId>;

/** A MAC address as iproute2 prints it. */
export const MacAddress = lazySchema(() => z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, "a MAC address looks like aa:bb:cc:dd:ee:ff"));
