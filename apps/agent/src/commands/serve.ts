import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_CNI_CACHE_DIR, DEFAULT_DOCKER_NETNS_DIR, DEFAULT_DOCKER_SOCKET, DEFAULT_NETNS_DIR } from "@netatlas/linux";
import type { ServeFlags } from "../serve/run-serve.js";

function milliseconds(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 3_600_000) throw new InvalidArgumentError(`${flag} must be a whole number of milliseconds from 0 to 3600000`);
    return n;
  };
}

function bufferBytes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024 || n > 1024 * 1024 * 1024) throw new InvalidArgumentError("--netlink-buffer-bytes must be a whole number of bytes from 1024 to 1073741824");
  return n;
}

export function serveCommand(): Command {
  return new Command("serve")
    .description("serve this node's snapshot, findings and live events over tRPC (HTTP, HTTPS or a unix socket)")
    .addOption(
      new Option("--listen <address>", "HOST:PORT or unix:/path/agent.sock (takes over only a stale socket of this user, never another file); repeat it to listen on several (default 127.0.0.1:7946)")
        .env("NETATLAS_LISTEN")
        .default(["127.0.0.1:7946"])
        .argParser((value: string, previous: string[]) => (previous.length === 1 && previous[0] === "127.0.0.1:7946" ? [value] : [...previous, value])),
    )
    .addOption(new Option("--token-file <file>", 'bearer tokens, one "SCOPE TOKEN" a line (scope read or admin)').env("NETATLAS_TOKEN_FILE").makeOptionMandatory())
    .addOption(new Option("--tls-cert <file>", "serve HTTPS with this certificate (PEM)").env("NETATLAS_TLS_CERT"))
    .addOption(new Option("--tls-key <file>", "the certificate's private key (PEM)").env("NETATLAS_TLS_KEY"))
    .addOption(new Option("--node-name <name>", "the node's name in the fleet (default: the hostname)").env("NETATLAS_NODE_NAME"))
    .addOption(new Option("--max-age-ms <ms>", "without rtnetlink notifications (no netlink addon), a snapshot request never gets older data than this; with them the kept state is current").env("NETATLAS_MAX_AGE_MS").default(1000).argParser(milliseconds("--max-age-ms")))
    .addOption(new Option("--resync-ms <ms>", "full re-read interval besides the notifications: a check of what they kept (drift metric), and the namespaces' sysctls").env("NETATLAS_RESYNC_MS").default(60_000).argParser(milliseconds("--resync-ms")))
    .addOption(new Option("--facts-ms <ms>", "how often what no notification tells is read: processes and pods' holders, Docker, the CNI cache, the host's nft (without notifications: the whole node)").env("NETATLAS_FACTS_MS").default(5000).argParser(milliseconds("--facts-ms")))
    .addOption(new Option("--heartbeat-ms <ms>", "a quiet snapshot stream says it is alive this often; a dashboard takes the agent for gone after two missed").env("NETATLAS_HEARTBEAT_MS").default(5000).argParser(milliseconds("--heartbeat-ms")))
    .addOption(new Option("--netlink-buffer-bytes <n>", "receive buffer of the rtnetlink notification socket; larger makes lost notifications (ENOBUFS, then a full re-read) rarer").env("NETATLAS_NETLINK_BUFFER_BYTES").default(8 * 1024 * 1024).argParser(bufferBytes))
    .addOption(new Option("--log-level <level>", "pino log level").choices(["fatal", "error", "warn", "info", "debug", "trace"]).env("NETATLAS_LOG_LEVEL").default("info"))
    .addOption(new Option("--netns-dir <dir>", "where named namespaces are bound").env("NETATLAS_NETNS_DIR").default(DEFAULT_NETNS_DIR))
    .addOption(new Option("--docker-netns-dir <dir>", "where dockerd binds its sandboxes' namespaces").env("NETATLAS_DOCKER_NETNS_DIR").default(DEFAULT_DOCKER_NETNS_DIR))
    .addOption(new Option("--cni-cache-dir <dir>", "the container runtime's CNI result cache").env("NETATLAS_CNI_CACHE_DIR").default(DEFAULT_CNI_CACHE_DIR))
    .addOption(new Option("--pod-holder-comm <name>", "command name of a pod's sandbox holder").env("NETATLAS_POD_HOLDER_COMM").default("pause"))
    .addOption(new Option("--docker-socket <path>", "the Docker Engine API socket").env("NETATLAS_DOCKER_SOCKET").default(DEFAULT_DOCKER_SOCKET))
    .addOption(new Option("--kubernetes <mode>", "name pods from the Kubernetes API when in a cluster (auto), or never (off)").choices(["auto", "off"]).env("NETATLAS_KUBERNETES").default("auto"))
    .addOption(new Option("--state-dir <dir>", "where the kept intent, the mode and the apply journal live").env("NETATLAS_STATE_DIR").default("/var/lib/netatlas-agent"))
    .addHelpText(
      "after",
      [
        "",
        "Endpoints: /trpc (every procedure but health needs a bearer token) and /metrics (Prometheus; over TCP it",
        "needs a bearer token too, read scope is enough; on a unix socket it is open, the socket's file mode guarding it).",
        "Limits: 10 calls a batch (more: 400); 4 open requests per token for snapshot, snapshotIfChanged, findings, plan,",
        "applyPlan or probe (more: 429; health and info never wait); 8 MiB of answer a request (a call over it: 413);",
        "8 open streams per token (snapshotStream, events; more: refused with TOO_MANY_REQUESTS).",
      ].join("\n"),
    )
    // The server's modules (tRPC, pino, prom-client) load only when serving: other commands start faster.
    .action(async (flags: ServeFlags) => (await import("../serve/run-serve.js")).runServe(flags));
}
