import type { Outputs } from "../../../dashboard/src/server/api/root.js";
import type { Printer } from "../output/printer.js";
import type { Column } from "../output/table.js";

export type TraceResult = Outputs["trace"]["run"];
export type VerifiedTrace = Outputs["trace"]["verify"];
type TracePath = TraceResult["forward"];
type TraceHop = TracePath["hops"][number];

const hopColumns = (wide: boolean): Column<{ hop: TraceHop; index: number; decided: boolean }>[] => [
  { header: "#", value: (h) => String(h.index + 1), right: true },
  { header: "NODE", value: (h) => h.hop.node },
  { header: "NETNS", value: (h) => h.hop.netns.label },
  { header: "ACTION", value: (h) => h.hop.action, style: (h) => (h.decided ? "red" : undefined) },
  { header: "INTERFACES", value: (h) => h.hop.interfaces.join(" > ") || "-" },
  ...(wide ? [{ header: "PACKET", value: (h: { hop: TraceHop }) => `${h.hop.packet.src} > ${h.hop.packet.dst}` }] : []),
  { header: "RULE", value: (h) => h.hop.rule, flex: true },
  ...(wide ? [{ header: "DETAIL", value: (h: { hop: TraceHop }) => h.hop.detail, flex: true }] : []),
];

/** Where a path ended and why, naming the hop that decided it: what a script's stderr shows. */
export function verdictLine(path: TracePath): string {
  const v = path.verdict;
  const hop = v.hop === null ? undefined : path.hops[v.hop];
  const where = hop ? ` at hop ${(v.hop as number) + 1} (${hop.node} ${hop.netns.label}, ${hop.action}${hop.rule ? `: ${hop.rule}` : ""})` : "";
  return `${v.kind}${where}: ${v.message}`;
}

function printPath(out: Printer, title: string, path: TracePath): void {
  out.line(out.paint("bold", title));
  const decided = path.verdict.kind === "delivered" ? -1 : (path.verdict.hop ?? -1);
  if (path.hops.length) out.table(hopColumns(out.wide), path.hops.map((hop, index) => ({ hop, index, decided: index === decided })));
  const ok = path.verdict.kind === "delivered";
  out.line(`${out.paint(ok ? "green" : path.verdict.kind === "uncertain" ? "yellow" : "red", path.verdict.kind)}: ${path.verdict.message}`);
}

export function printTrace(out: Printer, result: TraceResult): void {
  const d = result.destination;
  const from = result.source ? ` from ${result.source.ip || "?"} (${result.source.node}, netns ${result.source.netns})` : "";
  out.line(`trace to ${d.ip} ${d.protocol}${d.port ? `/${d.port}` : ""}, ${result.packetSize}-byte packets${from}${result.asymmetric ? "; the reply takes other interfaces (asymmetric)" : ""}`);
  printPath(out, "forward", result.forward);
  if (result.reverse) printPath(out, "reply", result.reverse);
}

export function printProbe(out: Printer, verified: VerifiedTrace): void {
  const { probe, agreement } = verified;
  const replies = probe.attempts.filter((a) => a.ok);
  const rtts = replies.flatMap((a) => (a.rttMs === undefined ? [] : [a.rttMs]));
  const rtt = rtts.length ? `, rtt ${(rtts.reduce((a, b) => a + b, 0) / rtts.length).toFixed(2)} ms` : "";
  const errors = [...new Set(probe.attempts.flatMap((a) => (a.error ? [a.error] : [])))];
  out.line(out.paint("bold", "probe"));
  out.line(`${probe.node} sent ${probe.attempts.length} ${probe.protocol}${probe.port ? `/${probe.port}` : ""} probes to ${probe.target}: ${replies.length} replied${rtt}${errors.length ? ` (${errors.join("; ")})` : ""}`);
  const first = agreement.firstHop;
  if (first.kernel) out.line(`kernel's first hop (ip route get): dev ${first.kernel.dev ?? "-"}${first.kernel.via ? ` via ${first.kernel.via}` : ""}${first.agree === false ? out.paint("red", " — differs from the trace's") : ""}`);
  out.line(`${out.paint(agreement.agree ? "green" : "red", agreement.agree ? "agree" : "disagree")}: ${agreement.message}`);
}

/** Why the packet does not get there and back, if it does not: the exit status of `netatlas trace`. */
export function notDelivered(result: TraceResult, probe?: VerifiedTrace["probe"]): string | undefined {
  if (result.forward.verdict.kind !== "delivered") return `not delivered: ${verdictLine(result.forward)}`;
  if (result.reverse && result.reverse.verdict.kind !== "delivered") return `the reply is not delivered: ${verdictLine(result.reverse)}`;
  if (probe && !probe.attempts.some((a) => a.ok)) return `the trace says delivered, but the probe from ${probe.node} got no reply (${probe.attempts.length} sent)`;
  return undefined;
}
