import { pino } from "pino";
import { answerAheadWhenQuiet, createAgentHttpHandler, SnapshotVersions, type AgentInfo } from "@netatlas/agent-api";
import { existsSync } from "node:fs";
import { inClusterAccess } from "@netatlas/linux";
import { startServers, stopServer } from "./http-server.js";
import { formatListenAddress, parseListenAddress } from "./listen-address.js";
import { LiveNode } from "./live-node.js";
import { AgentMetrics } from "./metrics.js";
import { TokenTable } from "./tokens.js";
import { VERSION } from "../version.js";
import { Reconciler } from "../reconcile/reconciler.js";
import { StateStore } from "../reconcile/state-store.js";
import { Prober } from "./prober.js";

/** Test hook (never for production): NETATLAS_TEST_PAUSE_AFTER_BATCH=N stops an apply for good after N batches, as if killed there. */
function testPauseAfterBatch(): number | undefined {
  const value = process.env.NETATLAS_TEST_PAUSE_AFTER_BATCH;
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

export interface ServeFlags {
  listen: string[];
  tokenFile: string;
  tlsCert?: string;
  tlsKey?: string;
  nodeName?: string;
  maxAgeMs: number;
  resyncMs: number;
  factsMs: number;
  heartbeatMs: number;
  netlinkBufferBytes: number;
  logLevel: string;
  netnsDir: string;
  dockerNetnsDir: string;
  cniCacheDir: string;
  podHolderComm: string;
  dockerSocket: string;
  stateDir: string;
  kubernetes: "auto" | "off";
}

/** `netatlas-agent serve`: live state, the tRPC API, the write path; until SIGTERM or SIGINT. */
export async function runServe(flags: ServeFlags): Promise<void> {
  const addresses = flags.listen.map(parseListenAddress);
  if (!!flags.tlsCert !== !!flags.tlsKey) throw new Error("--tls-cert and --tls-key go together");
  const log = pino({ level: flags.logLevel, base: { service: "netatlas-agent" } });
  const tokens = await TokenTable.fromFile(flags.tokenFile);
  const metrics = new AgentMetrics();
  const startedAt = Date.now();
  // In a cluster the API server names pods and their containers; outside one, the CNI cache alone does.
  const kubernetes = flags.kubernetes === "off" ? undefined : await inClusterAccess();
  if (kubernetes) log.info({ api: kubernetes.apiUrl }, "naming pods from the Kubernetes API");
  const live = new LiveNode(
    { maxAgeMs: flags.maxAgeMs, resyncMs: flags.resyncMs, factsMs: flags.factsMs, notificationBufferBytes: flags.netlinkBufferBytes, netnsDir: flags.netnsDir, dockerNetnsDir: flags.dockerNetnsDir, cniCacheDir: flags.cniCacheDir, podHolderComm: flags.podHolderComm, dockerSocket: flags.dockerSocket, kubernetes },
    metrics,
    log,
    flags.nodeName ?? (await import("node:os")).hostname(),
  );
  const hasDocker = existsSync(flags.dockerSocket);
  if (!hasDocker) log.info({ dockerSocket: flags.dockerSocket }, "no Docker socket; Docker's namespaces are still shown from the kernel");
  const first = await live.start();
  const reconciler = new Reconciler({ store: new StateStore(flags.stateDir), snapshot: () => live.fresh(), log, publish: (change) => live.events.append(change), dockerSocket: flags.dockerSocket, pauseAfterBatch: testPauseAfterBatch() });
  await reconciler.start();
  live.onSnapshot((snapshot) => reconciler.checkDrift(snapshot));
  const versions = new SnapshotVersions();
  versions.publish(first);
  live.onSnapshot((snapshot) => versions.publish(snapshot));
  // A quiet node's answer is ready before a dashboard's first ask.
  const stopAnswersAhead = answerAheadWhenQuiet(versions);
  const prober = new Prober(() => live.snapshot(), () => reconciler.keptIntent());
  const info = (): AgentInfo => ({ version: VERSION, node: live.nodeName, capabilities: ["snapshot", "findings", "events", "pods", "plan", "apply", "probe", ...(hasDocker ? ["docker"] : [])], mode: reconciler.mode, reader: live.latest()?.reader ?? first.reader, startedAt: new Date(startedAt).toISOString() });
  const trpc = createAgentHttpHandler({ info, snapshot: ({ maxAgeMs }) => live.snapshot(maxAgeMs), events: live.events, versions, heartbeatMs: flags.heartbeatMs, authenticate: (t) => tokens.scopeOf(t),
    setMode: async (next) => {
      log.info({ from: reconciler.mode, to: next }, "mode changed");
      await reconciler.setMode(next);
      const latest = live.latest();
      if (latest) reconciler.checkDrift(latest);
    },
    reconcile: reconciler,
    probe: (input) => prober.run(input),
    startedAt,
  }, {
    onUnexpectedError: (error, path) => {
      metrics.errors.inc({ where: "api" });
      log.error({ err: error, path }, "an API call failed unexpectedly");
    },
  });
  const tls = flags.tlsCert && flags.tlsKey ? { cert: flags.tlsCert, key: flags.tlsKey } : undefined;
  const servers = await startServers(addresses, { tls, trpc, authenticate: (t) => tokens.scopeOf(t), metrics, log }).catch((error: unknown) => {
    live.stop(); // its notification socket would keep the process alive after the error
    throw error;
  });
  log.info({ listen: addresses.map(formatListenAddress), tls: !!flags.tlsCert, node: live.nodeName, namespaces: first.namespaces.length, reader: first.reader }, "netatlas-agent serving");

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, "shutting down");
      resolve();
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
  live.stop();
  stopAnswersAhead();
  await Promise.all(servers.map((server) => stopServer(server, log)));
  log.info("stopped");
}
