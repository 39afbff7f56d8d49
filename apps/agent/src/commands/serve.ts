import { Command, InvalidArgumentError, Option } from "commander";
import { pino } from "pino";
import { createAgentHttpHandler, type AgentInfo } from "@netatlas/agent-api";
import { existsSync } from "node:fs";
import { DEFAULT_CNI_CACHE_DIR, DEFAULT_DOCKER_NETNS_DIR, DEFAULT_DOCKER_SOCKET, DEFAULT_NETNS_DIR } from "@netatlas/linux";
import { startServer, stopServer } from "../serve/http-server.js";
import { formatListenAddress, parseListenAddress } from "../serve/listen-address.js";
import { LiveNode } from "../serve/live-node.js";
import { AgentMetrics } from "../serve/metrics.js";
import { TokenTable } from "../serve/tokens.js";
import { VERSION } from "../version.js";

interface ServeFlags {
  listen: string;
  tokenFile: string;
  tlsCert?: string;
  tlsKey?: string;
  nodeName?: string;
  maxAgeMs: number;
  resyncMs: number;
  logLevel: string;
  netnsDir: string;
  dockerNetnsDir: string;
  cniCacheDir: string;
  podHolderComm: string;
  dockerSocket: string;
}

function milliseconds(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 3_600_000) throw new InvalidArgumentError(`${flag} must be a whole number of milliseconds from 0 to 3600000`);
    return n;
  };
}

export function serveCommand(): Command {
  return new Command("serve")
    .description("serve this node's snapshot, findings and live events over tRPC (HTTP, HTTPS or a unix socket)")
    .addOption(new Option("--listen <address>", "HOST:PORT or unix:/path/agent.sock").env("NETATLAS_LISTEN").default("127.0.0.1:7946"))
    .addOption(new Option("--token-file <file>", 'bearer tokens, one "SCOPE TOKEN" a line (scope read or admin)').env("NETATLAS_TOKEN_FILE").makeOptionMandatory())
    .addOption(new Option("--tls-cert <file>", "serve HTTPS with this certificate (PEM)").env("NETATLAS_TLS_CERT"))
    .addOption(new Option("--tls-key <file>", "the certificate's private key (PEM)").env("NETATLAS_TLS_KEY"))
    .addOption(new Option("--node-name <name>", "the node's name in the fleet (default: the hostname)").env("NETATLAS_NODE_NAME"))
    .addOption(new Option("--max-age-ms <ms>", "a snapshot request never gets older data than this").env("NETATLAS_MAX_AGE_MS").default(1000).argParser(milliseconds("--max-age-ms")))
    .addOption(new Option("--resync-ms <ms>", "full re-read interval, besides change notices").env("NETATLAS_RESYNC_MS").default(5000).argParser(milliseconds("--resync-ms")))
    .addOption(new Option("--log-level <level>", "pino log level").choices(["fatal", "error", "warn", "info", "debug", "trace"]).env("NETATLAS_LOG_LEVEL").default("info"))
    .addOption(new Option("--netns-dir <dir>", "where named namespaces are bound").env("NETATLAS_NETNS_DIR").default(DEFAULT_NETNS_DIR))
    .addOption(new Option("--docker-netns-dir <dir>", "where dockerd binds its sandboxes' namespaces").env("NETATLAS_DOCKER_NETNS_DIR").default(DEFAULT_DOCKER_NETNS_DIR))
    .addOption(new Option("--cni-cache-dir <dir>", "the container runtime's CNI result cache").env("NETATLAS_CNI_CACHE_DIR").default(DEFAULT_CNI_CACHE_DIR))
    .addOption(new Option("--pod-holder-comm <name>", "command name of a pod's sandbox holder").env("NETATLAS_POD_HOLDER_COMM").default("pause"))
    .addOption(new Option("--docker-socket <path>", "the Docker Engine API socket").env("NETATLAS_DOCKER_SOCKET").default(DEFAULT_DOCKER_SOCKET))
    .action(async (flags: ServeFlags) => {
      const address = parseListenAddress(flags.listen);
      if (!!flags.tlsCert !== !!flags.tlsKey) throw new Error("--tls-cert and --tls-key go together");
      const log = pino({ level: flags.logLevel, base: { service: "netatlas-agent" } });
      const tokens = await TokenTable.fromFile(flags.tokenFile);
      const metrics = new AgentMetrics();
      const startedAt = Date.now();
      const live = new LiveNode(
        { maxAgeMs: flags.maxAgeMs, resyncMs: flags.resyncMs, netnsDir: flags.netnsDir, dockerNetnsDir: flags.dockerNetnsDir, cniCacheDir: flags.cniCacheDir, podHolderComm: flags.podHolderComm, dockerSocket: flags.dockerSocket },
        metrics,
        log,
        flags.nodeName ?? (await import("node:os")).hostname(),
      );
      const hasDocker = existsSync(flags.dockerSocket);
      if (!hasDocker) log.info({ dockerSocket: flags.dockerSocket }, "no Docker socket; Docker's namespaces are still shown from the kernel");
      const first = await live.start();
      let mode: AgentInfo["mode"] = "observe";
      const info = (): AgentInfo => ({ version: VERSION, node: live.nodeName, capabilities: ["snapshot", "findings", "events", "pods", ...(hasDocker ? ["docker"] : [])], mode, reader: live.latest()?.reader ?? first.reader, startedAt: new Date(startedAt).toISOString() });
      const trpc = createAgentHttpHandler({ info, snapshot: ({ maxAgeMs }) => live.snapshot(maxAgeMs), events: live.events, authenticate: (t) => tokens.scopeOf(t),
        setMode: (next) => {
          log.info({ from: mode, to: next }, "mode changed");
          mode = next;
        },
        startedAt,
      });
      const server = await startServer({ address, tls: flags.tlsCert && flags.tlsKey ? { cert: flags.tlsCert, key: flags.tlsKey } : undefined, trpc, metrics, log });
      log.info({ listen: formatListenAddress(address), tls: !!flags.tlsCert, node: live.nodeName, namespaces: first.namespaces.length, reader: first.reader }, "netatlas-agent serving");

      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          log.info({ signal }, "shutting down");
          resolve();
        };
        process.once("SIGTERM", () => shutdown("SIGTERM"));
        process.once("SIGINT", () => shutdown("SIGINT"));
      });
      live.stop();
      await stopServer(server, address);
      log.info("stopped");
    });
}
