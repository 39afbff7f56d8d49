import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseCidr } from "@netatlas/core";
import { z } from "zod";
import { AgentTargetInput, withName, type AgentTarget } from "./agent-target";
import { DEFAULT_MAX_ANSWER_BYTES } from "@netatlas/agent-api";

const positiveInt = (field: string, min: number, max: number) =>
  z.coerce.number({ error: `${field} must be a number` }).int(`${field} must be a whole number`).min(min, `${field} must be at least ${min}`).max(max, `${field} must be at most ${max}`);

const Env = z.object({
  NETATLAS_DATA_DIR: z.string().min(1).default("data"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://").optional(),
  NETATLAS_ADMIN_PASSWORD: z.string().min(8, "NETATLAS_ADMIN_PASSWORD needs at least 8 characters").optional(),
  NETATLAS_VIEWER_PASSWORD: z.string().min(8, "NETATLAS_VIEWER_PASSWORD needs at least 8 characters").optional(),
  NETATLAS_POLL_INTERVAL_MS: positiveInt("NETATLAS_POLL_INTERVAL_MS", 500, 3_600_000).default(5_000),
  NETATLAS_STATUS_CHECK_MS: positiveInt("NETATLAS_STATUS_CHECK_MS", 1_000, 3_600_000).default(60_000),
  NETATLAS_AGENT_TIMEOUT_MS: positiveInt("NETATLAS_AGENT_TIMEOUT_MS", 100, 120_000).default(4_000),
  /** A larger answer marks its node with the reason instead of filling the dashboard's memory. */
  NETATLAS_AGENT_MAX_ANSWER_BYTES: positiveInt("NETATLAS_AGENT_MAX_ANSWER_BYTES", 1024 * 1024, 1024 * 1024 * 1024).default(DEFAULT_MAX_ANSWER_BYTES),
  NETATLAS_POLL_CONCURRENCY: positiveInt("NETATLAS_POLL_CONCURRENCY", 1, 256).default(8),
  /** With PostgreSQL: how long a replica that stopped keeps its agents and its apply job before the others take over. */
  NETATLAS_LEASE_TTL_MS: positiveInt("NETATLAS_LEASE_TTL_MS", 1_000, 600_000).default(10_000),
  NETATLAS_RETENTION_DAYS: positiveInt("NETATLAS_RETENTION_DAYS", 1, 3650).default(14),
  NETATLAS_AUDIT_RETENTION_DAYS: positiveInt("NETATLAS_AUDIT_RETENTION_DAYS", 1, 36500).default(90),
  /** Reverse proxies whose X-Forwarded-For names the client: addresses or CIDRs, comma-separated. */
  NETATLAS_TRUSTED_PROXIES: z.string().optional(),
  /** Kubernetes discovery: the agent DaemonSet's Service, as namespace/name. */
  NETATLAS_AGENT_SERVICE: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, "NETATLAS_AGENT_SERVICE is namespace/service, e.g. netatlas/netatlas-agent").optional(),
  NETATLAS_AGENT_TOKEN: z.string().min(1).optional(),
  NETATLAS_AGENT_ADMIN_TOKEN: z.string().min(1).optional(),
  /** The key that seals agent tokens in the database (else the data directory's secret.key). */
  NETATLAS_SECRET_KEY: z.string().min(32, "NETATLAS_SECRET_KEY needs at least 32 characters (e.g. openssl rand -base64 32)").optional(),
  NETATLAS_AGENTS: z.string().optional(),
  NETATLAS_AGENTS_FILE: z.string().optional(),
  /** The bearer token Prometheus scrapes /metrics with; without it /metrics answers 404. */
  NETATLAS_METRICS_TOKEN: z.string().min(32, "NETATLAS_METRICS_TOKEN needs at least 32 characters (e.g. openssl rand -base64 32)").max(512, "NETATLAS_METRICS_TOKEN has at most 512 characters").optional(),
  /** The demo lab's prefix (tools/run/demo.sh): the Fleet page says which faults to try on it. */
  NETATLAS_DEMO_HINTS: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, "NETATLAS_DEMO_HINTS is the demo lab's prefix: 1-12 lower-case letters and digits, starting with a letter").optional(),
});

export interface DashboardConfig {
  dataDir: string;
  databaseUrl?: string;
  adminPassword?: string;
  /** Seals agent tokens in the database; without it, the data directory's secret.key does. */
  secretKey?: string;
  /** Signs in read-only: sees every page, changes nothing. */
  viewerPassword?: string;
  pollIntervalMs: number;
  /** How often every agent's reconcile status is asked besides when its agent tells of a change (a safety net). */
  statusCheckMs: number;
  agentTimeoutMs: number;
  agentMaxAnswerBytes: number;
  concurrency: number;
  /** Replicas on one PostgreSQL: a replica silent this long is gone (its agent leases and apply job pass on). */
  leaseTtlMs: number;
  retentionDays: number;
  /** Audit entries older than this many days are dropped. */
  auditRetentionDays: number;
  /** Peers (CIDRs) whose X-Forwarded-For is believed; every other peer is the client itself. */
  trustedProxies: string[];
  agents: AgentTarget[];
  /** Admin tokens by node name, kept apart from the polled targets: only probes (admin actions) use them. */
  adminTokens: Record<string, string>;
  kubernetes?: { namespace: string; service: string; token?: string; adminToken?: string };
  /** Prometheus's bearer token for /metrics; /metrics is off without it. */
  metricsToken?: string;
  /** The demo lab's prefix, when the fleet is the demo's: the Fleet page shows its fault commands. */
  demoLabPrefix?: string;
}

/** An agent in configuration may also carry its admin token (for Trace's "verify", which sends a real probe). */
const ConfiguredAgent = AgentTargetInput.extend({ adminToken: z.string().min(1, "adminToken may not be empty; leave it out to disable verify on this node").max(512).optional() }).strict();

/** Reads the dashboard's configuration; every error names the variable (and the agent) that is wrong. */
export function loadConfig(env: Record<string, string | undefined>, readFile: (path: string) => string = (p) => readFileSync(p, "utf8")): DashboardConfig {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));
  if (!parsed.success) throw new Error(`configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const e = parsed.data;
  const configured = [
    ...(e.NETATLAS_AGENTS ? parseAgents(e.NETATLAS_AGENTS, "NETATLAS_AGENTS") : []),
    ...(e.NETATLAS_AGENTS_FILE ? parseAgents(readAgentsFile(e.NETATLAS_AGENTS_FILE, readFile), `NETATLAS_AGENTS_FILE (${e.NETATLAS_AGENTS_FILE})`) : []),
  ];
  const agents = configured.map(({ adminToken: _admin, ...target }) => target);
  const names = new Set<string>();
  for (const a of agents) {
    if (names.has(a.name)) throw new Error(`configuration: two agents are named "${a.name}"; give each a distinct "name"`);
    names.add(a.name);
  }
  if (e.NETATLAS_VIEWER_PASSWORD && e.NETATLAS_VIEWER_PASSWORD === e.NETATLAS_ADMIN_PASSWORD) throw new Error("configuration: NETATLAS_VIEWER_PASSWORD must differ from NETATLAS_ADMIN_PASSWORD (the password chooses the role)");
  const [namespace, service] = e.NETATLAS_AGENT_SERVICE?.split("/") ?? [];
  return {
    dataDir: resolve(e.NETATLAS_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.NETATLAS_ADMIN_PASSWORD,
    secretKey: e.NETATLAS_SECRET_KEY,
    viewerPassword: e.NETATLAS_VIEWER_PASSWORD,
    pollIntervalMs: e.NETATLAS_POLL_INTERVAL_MS,
    statusCheckMs: e.NETATLAS_STATUS_CHECK_MS,
    agentTimeoutMs: e.NETATLAS_AGENT_TIMEOUT_MS,
    agentMaxAnswerBytes: e.NETATLAS_AGENT_MAX_ANSWER_BYTES,
    concurrency: e.NETATLAS_POLL_CONCURRENCY,
    leaseTtlMs: e.NETATLAS_LEASE_TTL_MS,
    retentionDays: e.NETATLAS_RETENTION_DAYS,
    auditRetentionDays: e.NETATLAS_AUDIT_RETENTION_DAYS,
    trustedProxies: e.NETATLAS_TRUSTED_PROXIES ? parseTrustedProxies(e.NETATLAS_TRUSTED_PROXIES) : [],
    agents,
    adminTokens: Object.fromEntries(configured.flatMap((a) => (a.adminToken ? [[a.name, a.adminToken]] : []))),
    kubernetes: namespace && service ? { namespace, service, token: e.NETATLAS_AGENT_TOKEN, adminToken: e.NETATLAS_AGENT_ADMIN_TOKEN } : undefined,
    metricsToken: e.NETATLAS_METRICS_TOKEN,
    demoLabPrefix: e.NETATLAS_DEMO_HINTS,
  };
}

/** "10.0.0.2, 10.1.0.0/16, fd00::/8" as CIDRs (a bare address is its host CIDR). */
function parseTrustedProxies(text: string): string[] {
  return text.split(",").map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    try {
      parseCidr(entry);
      return entry.includes("/") ? entry : `${entry}/${entry.includes(":") ? 128 : 32}`;
    } catch (error) {
      throw new Error(`configuration: NETATLAS_TRUSTED_PROXIES: ${(error as Error).message}; expected addresses or CIDRs separated by commas, e.g. 10.0.0.2,fd00::/8`);
    }
  });
}

function readAgentsFile(path: string, readFile: (path: string) => string): string {
  try {
    return readFile(path);
  } catch (error) {
    throw new Error(`configuration: NETATLAS_AGENTS_FILE: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** A JSON list of {name?, url, token?, adminToken?}. */
export function parseAgents(text: string, field: string): (AgentTarget & { adminToken?: string })[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`configuration: ${field} is not JSON (${(error as Error).message}); expected [{"name":"node1","url":"unix:/run/agent.sock","token":"…"}]`);
  }
  const list = z.array(ConfiguredAgent).safeParse(json);
  if (!list.success) throw new Error(`configuration: ${field}: ${list.error.issues.map((i) => `${["agents", ...i.path].join(".")}: ${i.message}`).join("; ")}`);
  return list.data.map((a) => withName(a, "config"));
}
