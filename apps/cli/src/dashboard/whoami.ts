import { z } from "zod";

/**
 * `auth.whoami`: who a token speaks for. Checked here rather than typed from the
 * router, so that `login` says clearly when a dashboard answers something else.
 */
export const Whoami = z.object({
  user: z.string(),
  role: z.string(),
  /** "token" for a personal API token, "session" for a browser's cookie. */
  via: z.string(),
});
export type Whoami = z.infer<typeof Whoami>;
