/**
 * The dashboard's own tRPC API over plain fetch, signed in as admin: the
 * benchmark must not import the app, so it speaks the wire format (no
 * transformer: a query's input is `?input=<json>`, a mutation's is the body).
 */
export class DashboardSession {
  private constructor(
    readonly url: string,
    /** `netatlas_session=<token>`, as the browser sends it. */
    readonly cookie: string,
  ) {}

  static async signIn(url: string, password: string): Promise<DashboardSession> {
    // A change needs the dashboard's own Origin, as its pages send it.
    const res = await fetch(`${url}/api/trpc/auth.signIn`, { method: "POST", headers: { "content-type": "application/json", origin: new URL(url).origin }, body: JSON.stringify({ password }) });
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("netatlas_session="));
    if (!res.ok || !cookie) throw new Error(`signing in to the dashboard at ${url} failed (HTTP ${res.status}): ${await res.text()}`);
    return new DashboardSession(url, cookie);
  }

  async query<T>(path: string, input?: unknown): Promise<T> {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.answer<T>(path, fetch(`${this.url}/api/trpc/${path}${query}`, { headers: { cookie: this.cookie } }));
  }

  async mutate<T>(path: string, input: unknown): Promise<T> {
    return this.answer<T>(path, fetch(`${this.url}/api/trpc/${path}`, { method: "POST", headers: { cookie: this.cookie, "content-type": "application/json", origin: new URL(this.url).origin }, body: JSON.stringify(input) }));
  }

  private async answer<T>(path: string, request: Promise<Response>): Promise<T> {
    const res = await request.catch((error: Error) => {
      throw new Error(`dashboard ${path} at ${this.url}: ${error.message} (${String((error.cause as Error | undefined)?.message ?? "no cause")}); is the dashboard still running?`);
    });
    const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
    if (!res.ok || !body.result) throw new Error(`dashboard ${path} failed (HTTP ${res.status}): ${body.error?.message ?? JSON.stringify(body).slice(0, 300)}`);
    return body.result.data;
  }
}
