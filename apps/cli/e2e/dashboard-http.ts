/**
 * The dashboard's tRPC API over plain HTTP, for what the CLI has no command for
 * (signing in with a password, making and revoking tokens, saving a spec): one
 * call per request, its input as the JSON body, as tRPC's wire format has it.
 */
export async function trpcCall<T>(server: string, path: string, input: unknown, auth: { cookie?: string; token?: string }): Promise<{ data: T; setCookie: string[] }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  // A change without a token (signing in, or with a session) must come from the dashboard's own origin; a bearer call needs no Origin.
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  else headers.origin = server;
  if (auth.cookie) headers.cookie = auth.cookie;
  const response = await fetch(`${server}/api/trpc/${path}`, { method: "POST", headers, body: JSON.stringify(input ?? {}) });
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!body.result) throw new Error(`${path}: ${response.status} ${body.error?.message ?? JSON.stringify(body)}`);
  return { data: body.result.data, setCookie: response.headers.getSetCookie() };
}

/** Signs in with a password and makes a personal API token of `role`; returns the token and its id. */
export async function makeToken(server: string, password: string, name: string, role: "admin" | "viewer"): Promise<{ token: string; id: number }> {
  const { setCookie } = await trpcCall(server, "auth.signIn", { password }, {});
  const cookie = setCookie.map((c) => c.split(";")[0]).join("; ");
  if (!cookie) throw new Error("auth.signIn set no session cookie");
  const { data } = await trpcCall<{ token: string; id: number }>(server, "tokens.create", { name, role }, { cookie });
  return data;
}
