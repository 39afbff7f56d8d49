import { z } from "zod";
import { NodeName } from "../../agent-target";

/** One node by name, or the whole fleet. */
export const NodeFilter = z.object({ node: NodeName.optional() }).strict().optional();
