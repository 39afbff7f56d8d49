import { Command, Option } from "commander";
import { z } from "zod";
import type { CliDeps } from "../deps.js";
import { parseFlags, WholeNumber } from "../flags.js";
import { notDelivered, printProbe, printTrace } from "../format/trace-text.js";
import { OutputFormat, outputOption, printer } from "../output/printer.js";
import { UsageError } from "../usage-error.js";

const Flags = z.object({
  SRC: z.string().trim().min(1, "name a pod, container, namespace or IP to start from"),
  DST: z.string().trim().min(1, "name a pod or an IP to trace to"),
  port: WholeNumber(1, 65_535).optional(),
  protocol: z.enum(["tcp", "udp", "icmp"]).optional(),
  size: WholeNumber(28, 65_535).optional(),
  verify: z.boolean().default(false),
  output: OutputFormat,
});

/** The dashboard's trace request; the rules of its fields, said as this CLI's flags. */
export function traceRequest(flags: z.output<typeof Flags>) {
  const protocol = flags.protocol ?? (flags.port === undefined ? "icmp" : "tcp");
  if (protocol !== "icmp" && flags.port === undefined) throw new UsageError(`--port: a ${protocol} trace needs a port`);
  if (protocol === "icmp" && flags.port !== undefined) throw new UsageError("--port: icmp has no port; leave it out or use --protocol tcp or udp");
  if (flags.verify && protocol === "udp") throw new UsageError("--verify: the agents probe with icmp or tcp (a udp probe gets no answer to hold against the trace); trace udp without --verify");
  if (flags.verify && flags.size !== undefined && protocol !== "icmp") throw new UsageError("--size: with --verify a packet of a given size is an icmp echo; leave --size out or trace icmp");
  return { source: flags.SRC, destination: flags.DST, protocol, ...(flags.port === undefined ? {} : { port: flags.port }), ...(flags.size === undefined ? {} : { packetSize: flags.size }) };
}

export function traceCommand(deps: CliDeps): Command {
  return new Command("trace")
    .description("follow a packet from SRC (pod, container, namespace or IP) to DST (pod or IP) hop by hop through the fleet's kernels, and its reply back")
    .argument("<SRC>", "where the packet starts: a pod (name or namespace/name), a container, a namespace or an IP")
    .argument("<DST>", "where it goes: a pod or an IP")
    .option("--port <port>", "the destination port (implies --protocol tcp)")
    .addOption(new Option("--protocol <protocol>", "icmp (default without --port), tcp (default with --port) or udp").choices(["tcp", "udp", "icmp"]))
    .option("--size <bytes>", "the IP packet's size in bytes, headers included (default 1400, as ping -s SIZE-28 -M do sends it)")
    .option("--verify", "also send a real probe from SRC's namespace through its node's agent and hold it against the trace (an admin's token)")
    .addOption(outputOption())
    .addHelpText("after", "\nExits 1 when the packet or its reply is not delivered (with --verify: also when the probe gets no reply), naming the hop that decided it on stderr.")
    .action(async (src: string, dst: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(Flags, { ...raw, SRC: src, DST: dst });
      const request = traceRequest(flags);
      const dashboard = deps.dashboard();
      const out = printer(deps.io, flags.output);
      if (flags.verify) {
        const verified = await dashboard.ask("trace.verify", (api) => api.trace.verify.mutate(request));
        if (!out.structured(verified)) {
          printTrace(out, verified.trace);
          printProbe(out, verified);
        }
        const failed = notDelivered(verified.trace, verified.probe);
        if (failed) throw new Error(failed);
        return;
      }
      const result = await dashboard.ask("trace.run", (api) => api.trace.run.query(request));
      if (!out.structured(result)) printTrace(out, result);
      const failed = notDelivered(result);
      if (failed) throw new Error(failed);
    });
}
