import { z } from "zod";

/** A personal API token as the dashboard makes them: `na_` and 43 base64url characters (32 random bytes). */
export const ApiToken = z
  .string()
  .trim()
  .regex(/^na_[A-Za-z0-9_-]{43}$/, "not a netatlas API token (na_ followed by 43 letters, digits, '-' or '_'); make one in the dashboard (tokens.create) and pass it in a file or on stdin");
