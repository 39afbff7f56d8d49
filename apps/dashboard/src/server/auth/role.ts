import { z } from "zod";

/** admin changes things; viewer sees every page and changes nothing. */
export const Role = z.enum(["admin", "viewer"]);
export type Role = z.infer<typeof Role>;

const RANK: Record<Role, number> = { viewer: 0, admin: 1 };

/** Whether `held` may do what `wanted` may (a token's role is at most its creator's). */
export const roleCovers = (held: Role, wanted: Role): boolean => RANK[held] >= RANK[wanted];

/** The lower of two roles: a token made by an admin who is a viewer now acts as a viewer. */
export const lowerRole = (a: Role, b: Role): Role => (roleCovers(a, b) ? b : a);
