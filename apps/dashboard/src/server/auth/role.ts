import { z } from "zod";

/** admin changes things; viewer sees every page and changes nothing. */
export const Role = z.enum(["admin", "viewer"]);
export type Role = z.infer<typeof Role>;
