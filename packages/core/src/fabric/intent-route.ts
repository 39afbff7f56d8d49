import { z } from "zod";
import { Cidr4, Ip4 } from "../net/schemas.js";
import { WritableInterfaceName } from "../model/names.js";
import { lazySchema } from "../model/lazy-schema.js";

/** A route netatlas owns on a node: to another node's pod or Docker subnet. */
export const IntentRoute = lazySchema(() => z.object({ dst: Cidr4, via: Ip4, dev: WritableInterfaceName, onlink: z.boolean() }).strict());
export type IntentRoute = z.infer<typeof IntentRoute>;
