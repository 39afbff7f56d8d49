import { z } from "zod";

/** The largest value of a PostgreSQL integer column (ids, versions): a larger one is bad input, not a failed query. */
const PG_INT_MAX = 2_147_483_647;

/** A row's number (an id, a spec version) as an input: a positive integer that fits its column. */
export const rowNumber = (what: string) => z.number().int(`${what} must be a whole number`).positive(`${what} must be positive`).max(PG_INT_MAX, `${what} is at most ${PG_INT_MAX}`);
