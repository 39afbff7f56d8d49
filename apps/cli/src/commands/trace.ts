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
  if (protocol === "udp") throw new UsageError("--protocol: the dashboard traces icmp and tcp; udp is not in its trace API yet");
  if (flags.size !== undefined) throw new UsageError("--size: the dashboard's trace API takes no packet size yet (it traces 1400-byte packets); leave --size out");
  if (protocol === "tcp" && flags.port === undefined) throw new UsageError("--port: a tcp trace needs a port");
  if (protocol === "icmp" && flags.port !== undefined) throw new UsageError("--port: icmp has no port; leave it out or use --protocol tcp");
  return { source: flags.SRC, destination: flags.DST, protocol, ...(flags.port === undefined ? {} : { port: flags.port }) };
}

export function traceCommand(deps: CliDeps): Command {
  return new Command("trace")
    .description("follow a packet from SRC (pod, container, namespace or IP) to DST (pod or IP) hop by hop through the fleet's kernels, and its reply back")
    .argument("<SRC>", "where the packet starts: a pod (name or namespace/name), a container, a namespace or an IP")
    .argument("<DST>", "where it goes: a pod or an IP")
    .option("--port <port>", "the destination port (implies --protocol tcp)")
    .addOption(new Option("--protocol <protocol>", "icmp (default without --port) or tcp (udp: once the dashboard traces it)").choices(["tcp", "udp", "icmp"]))
    .option("--size <bytes>", "the packet's size (once the dashboard's trace takes it; it traces 1400 bytes)")
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
