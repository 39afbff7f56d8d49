import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { down } from "./down.js";
import { inNode, inPod } from "./enter.js";
import { backendOf, fabricHelp, LAB_BACKENDS, LAB_FABRICS, LabUsageError, type LabBackend, type LabFabric } from "./fabric-kind.js";
import { FAULT_KINDS, faultHelp, injectFault, type FaultKind } from "./faults.js";
import { defaultAgentBin, defaultRunDir } from "./paths.js";
import { progress } from "./progress.js";
import { loadState, type LabState } from "./state.js";
import { formatStatus, labStatus } from "./status.js";
import { resolveTarget } from "./target.js";
import { up } from "./up.js";

export const USAGE_ERROR = 2;

const count = (flag: string, max: number, min = 1) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
};

const prefixArg = (value: string) => {
  if (!/^[a-z][a-z0-9]{0,11}$/.test(value)) throw new InvalidArgumentError("--prefix must be 1-12 lower-case letters and digits, starting with a letter");
  return value;
};

interface Common {
  prefix: string;
  runDir?: string;
}

const common = (command: Command) =>
  command
    .addOption(new Option("--prefix <prefix>", "names everything this lab makes, so labs and tests can run side by side").env("NETATLAS_LAB_PREFIX").default("nalab").argParser(prefixArg))
    .addOption(new Option("--run-dir <dir>", "state, logs, tokens and agent sockets (default /run/netatlas-lab/PREFIX)").env("NETATLAS_LAB_RUN_DIR"));

const runDirOf = (o: Common) => resolve(o.runDir ?? defaultRunDir(o.prefix));

function requireState(o: Common): LabState {
  const state = loadState(runDirOf(o));
  if (!state) throw new Error(`no lab with prefix "${o.prefix}" (nothing in ${runDirOf(o)}); start one with \`netatlas-lab up\``);
  return state;
}

function upCommand(): Command {
  return common(new Command("up"))
    .description("build a lab: an underlay, nodes with their own namespaces, CNI pods, a pod fabric, Docker hosts and one agent per node")
    .addOption(new Option("--nodes <n>", "number of nodes").default(3).argParser(count("--nodes", 50)))
    .addOption(new Option("--pods <n>", "pods per node").default(4).argParser(count("--pods", 200)))
    .addOption(new Option("--docker-nodes <n>", "how many of the nodes (the last ones) also run dockerd with a Docker pod").default(0).argParser(count("--docker-nodes", 50, 0)))
    .addOption(new Option("--fabric <fabric>", fabricHelp()).choices(LAB_FABRICS).default("netatlas"))
    .addOption(new Option("--backend <backend>", "how netatlas's fabric carries pod traffic across nodes (default: vxlan; a brownfield --fabric implies its own)").choices(LAB_BACKENDS))
    .option("--no-agents", "build the network only, start no agents")
    .addOption(new Option("--agent-bin <file>", "the netatlas-agent entry point").default(defaultAgentBin))
    .option("--json", "print the lab's status as JSON when done")
    .action(async function (this: Command, o: Common & { nodes: number; pods: number; dockerNodes: number; fabric: LabFabric; backend?: LabBackend; agents: boolean; agentBin: string; json?: boolean }) {
      let backend: LabBackend;
      try {
        backend = backendOf(o.fabric, o.backend);
      } catch (error) {
        if (error instanceof LabUsageError) this.error(`error: ${error.message}`, { exitCode: USAGE_ERROR });
        throw error;
      }
      const log = progress();
      const runDir = runDirOf(o);
      try {
        const state = await up({ prefix: o.prefix, runDir, nodes: o.nodes, pods: o.pods, dockerNodes: o.dockerNodes, fabric: o.fabric, backend, agents: o.agents, agentBin: o.agentBin, log });
        log(`lab ${o.prefix} is up`);
        process.stdout.write(o.json ? `${JSON.stringify(labStatus(state), null, 2)}\n` : formatStatus(labStatus(state)));
      } catch (error) {
        log(`up failed: ${(error as Error).message}`);
        if (!/already exists/.test((error as Error).message)) {
          log("removing what was built");
          await down(o.prefix, runDir, log);
        }
        throw error;
      }
    });
}

function downCommand(): Command {
  return common(new Command("down"))
    .description("remove the lab: its processes, namespaces, links and run directory (safe to repeat, also after a crash)")
    .action(async (o: Common) => {
      const log = progress();
      await down(o.prefix, runDirOf(o), log);
      log(`lab ${o.prefix} is down`);
    });
}

function statusCommand(): Command {
  return common(new Command("status"))
    .description("show the lab's nodes, pods, addresses and agents")
    .option("--json", "machine-readable")
    .action((o: Common & { json?: boolean }) => {
      const status = labStatus(requireState(o));
      process.stdout.write(o.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    });
}

function execCommand(): Command {
  return common(new Command("exec"))
    .description("run a command inside a node or a pod, as `docker exec` would")
    .argument("<target>", "NODE or NODE/POD")
    .argument("<command...>", "the command and its arguments (after --)")
    .action((target: string, argv: string[], o: Common) => {
      const { node, pod } = resolveTarget(requireState(o), target);
      const full = pod ? inPod(node.pid, pod.netns, argv) : inNode(node.pid, argv);
      const result = spawnSync(full[0] as string, full.slice(1), { stdio: "inherit", shell: false });
      if (result.error) throw result.error;
      process.exitCode = result.status ?? 1;
    });
}

function faultCommand(): Command {
  return common(new Command("fault"))
    .description(`inject a fault a user meets:\n${faultHelp()}`)
    .addArgument(new Command().createArgument("<kind>", "the fault").choices(FAULT_KINDS))
    .option("--target <target>", "NODE or NODE/POD", "node1")
    .action(async (kind: FaultKind, o: Common & { target: string }) => {
      process.stdout.write(`${await injectFault(requireState(o), kind, o.target)}\n`);
    });
}

export function buildCli(): Command {
  const program = new Command("netatlas-lab")
    .description("builds a real multi-node container network out of Linux namespaces: nodes, CNI pods, a pod fabric (netatlas's own, flannel's or hand-made routes), one netatlas agent per node")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const command of [upCommand(), downCommand(), statusCommand(), execCommand(), faultCommand()]) program.addCommand(command.exitOverride().showHelpAfterError("(run with --help for usage)"));
  return program;
}

/** Usage errors exit 2; failures exit 1 with what failed. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : USAGE_ERROR;
      return;
    }
    process.stderr.write(`netatlas-lab: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
