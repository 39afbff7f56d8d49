import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { initTRPC, TRPCError } from "@trpc/server";
import { createHTTPHandler, createHTTPServer } from "@trpc/server/adapters/standalone";
import { z } from "zod";
import type { Outputs } from "../../dashboard/src/server/api/root.js";

export const ADMIN_TOKEN = `na_${"a".repeat(43)}`;
export const VIEWER_TOKEN = `na_${"v".repeat(43)}`;
export const REVOKED_TOKEN = `na_${"r".repeat(43)}`;

type Role = "admin" | "viewer";

/**
 * Answers as the dashboard's API does (tRPC over HTTP at /api/trpc, the real
 * server adapter, so the wire format is tRPC's own), for the procedures the CLI
 * calls: bearer tokens (unknown -> 401), the admin role for changes (viewer ->
 * 403), and canned answers typed by the dashboard's own router outputs.
 */
export interface FakeAnswers {
  overview: Outputs["fleet"]["overview"];
  findings: Outputs["fleet"]["findings"];
  pods: Outputs["fleet"]["pods"];
  trace: Outputs["trace"]["run"];
  probe: Outputs["trace"]["verify"]["probe"];
  planSet: Outputs["reconcile"]["plans"];
  /** The job's answers in turn, one per reconcile.job call (the last one repeats). */
  jobs: Outputs["reconcile"]["job"][];
  drift: Outputs["reconcile"]["drift"];
  audit: Outputs["audit"]["list"];
  /** Absent: the dashboard has no fleet.reachability procedure (as today's has none). */
  reachability?: unknown;
}

export interface FakeDashboard {
  url: string;
  /** Every call that got past authentication: its path and input. */
  calls: { path: string; input: unknown }[];
  close(): Promise<void>;
}

/** `tls`: serve https with this key and certificate. */
export async function startFakeDashboard(answers: FakeAnswers, tls?: { key: string; cert: string }): Promise<FakeDashboard> {
  const calls: FakeDashboard["calls"] = [];
  const t = initTRPC.context<{ authorization?: string }>().create();
  /** Reading needs a known token; changing needs an admin's. A call is recorded once it is let in. */
  const gate = (needsAdmin: boolean) =>
    t.procedure.use(async ({ ctx, path, getRawInput, next }) => {
      const token = ctx.authorization?.replace(/^Bearer /, "");
      const role: Role | undefined = token === ADMIN_TOKEN ? "admin" : token === VIEWER_TOKEN ? "viewer" : undefined;
      if (!role) throw new TRPCError({ code: "UNAUTHORIZED", message: token === REVOKED_TOKEN ? "this token was revoked" : "unknown token" });
      if (needsAdmin && role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: `this needs the admin role; you are signed in as ${role} (read-only)` });
      calls.push({ path, input: await getRawInput() });
      return next({ ctx: { role } });
    });
  const authed = gate(false);
  const admin = gate(true);
  const Trace = z.object({ source: z.string(), destination: z.string(), protocol: z.enum(["icmp", "tcp"]).default("icmp"), port: z.number().optional() }).strict();
  let jobCalls = 0;
  const router = t.router({
    auth: t.router({ whoami: authed.query(({ ctx }) => ({ user: ctx.role, role: ctx.role, via: "token" })) }),
    fleet: t.router({
      overview: authed.query(() => answers.overview),
      findings: authed.input(z.object({ node: z.string() }).optional()).query(({ input }) => answers.findings.map((g) => ({ ...g, items: g.items.filter((f) => !input?.node || f.node === input.node) })).filter((g) => g.items.length)),
      pods: authed.input(z.object({ node: z.string() }).optional()).query(() => answers.pods),
      ...(answers.reachability === undefined ? {} : { reachability: authed.query(() => answers.reachability) }),
    }),
    trace: t.router({
      run: authed.input(Trace).query(({ input }) => {
        if (input.source === "nowhere") throw new TRPCError({ code: "BAD_REQUEST", message: 'source: no pod, container or namespace is called "nowhere"' });
        return answers.trace;
      }),
      verify: admin.input(Trace).mutation(() => ({ trace: answers.trace, probe: answers.probe, agreement: { agree: true, message: "trace and probe agree", firstHop: { agree: null } } })),
    }),
    reconcile: t.router({
      plan: admin.mutation(() => answers.planSet),
      plans: authed.input(z.object({ id: z.number() })).query(({ input }) => {
        if (input.id !== answers.planSet.id) throw new TRPCError({ code: "NOT_FOUND", message: `id: there is no plan set ${input.id}` });
        return answers.planSet;
      }),
      startApply: admin.input(z.object({ planSetId: z.number(), nodes: z.array(z.string()).optional(), confirm: z.literal(true), allowDisruptive: z.boolean() })).mutation(() => ({ ...(answers.jobs[0] as Outputs["reconcile"]["job"]), status: "running" as const })),
      job: authed.input(z.object({ id: z.number() })).query(() => answers.jobs[Math.min(jobCalls++, answers.jobs.length - 1)] as Outputs["reconcile"]["job"]),
      drift: authed.query(() => answers.drift),
    }),
    audit: t.router({ list: authed.input(z.unknown()).query(() => answers.audit) }),
  });
  const options = { router, basePath: "/api/trpc/", createContext: ({ req }: { req: { headers: { authorization?: string } } }) => ({ authorization: req.headers.authorization }) };
  const server = tls ? createHttpsServer(tls, createHTTPHandler(options)) : createHTTPServer(options);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
