import type { ResolvedCaller } from "../src/server/auth/caller";
import type { Role } from "../src/server/auth/role";
import type { Runtime } from "../src/server/runtime";

/** A bootstrap account's session, as the resolver makes it from a cookie. */
export const bootstrapCaller = (role: Role, sessionToken?: string): ResolvedCaller => ({ user: role, role, via: "session", actor: role, sessionToken });

/** The context appRouter.createCaller takes, as createContext makes it for `caller` (none: signed out). */
export function callContext(rt: Runtime, caller?: ResolvedCaller, resHeaders = new Headers()) {
  return { rt, req: new Request("http://127.0.0.1/api/trpc"), resHeaders, caller };
}
