import { z } from "zod";
import { NetnsId } from "./names.js";
import { lazySchema } from "./lazy-schema.js";

export const IpFamily = lazySchema(() => z.union([z.literal(4), z.literal(6)]));
export type IpFamily = z.infer<typeof IpFamily>;

export const Address = lazySchema(() =>
  z.object({
    netns: NetnsId,
    ifindex: z.number().int().positive(),
    ifname: z.string(),
    family: IpFamily,
    address: z.string(),
    prefixLength: z.number().int().min(0).max(128),
    scope: z.string(),
    broadcast: z.string().optional(),
  }),
);
export type Address = z.infer<typeof Address>;

export function addressCidr(a: Pick<Address, "address" | "prefixLength">): string {
  return `${a.address}/${a.prefixLength}`;
}
