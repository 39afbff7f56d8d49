import { z } from "zod";
import { isIp, parseCidr } from "./cidr.js";
import { lazySchema } from "../model/lazy-schema.js";

/** An IPv4 network in CIDR notation, e.g. 10.244.0.0/16. */
export const Cidr4 = lazySchema(() =>
  z.string().refine((v) => {
    try {
      return parseCidr(v).family === 4;
    } catch {
      return false;
    }
  }, "must be an IPv4 CIDR such as 10.244.0.0/16"),
);

/** An IPv4 address, e.g. 192.168.50.10. */
export const Ip4 = lazySchema(() => z.string().refine((v) => isIp(v) && !v.includes(":"), "must be an IPv4 address such as 192.168.50.10"));
