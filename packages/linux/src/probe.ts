import { existsSync } from "node:fs";
import { CommandError, run } from "./exec.js";

export interface ProbeRequest {
  /** The namespace to probe from (an nsfs path). */
  netnsPath: string;
  target: string;
  protocol: "icmp" | "tcp";
  port?: number;
  count: number;
  /** Per attempt. */
  timeoutMs: number;
  /** ICMP: the IP packet's size in bytes, headers included; sent with DF set. */
  packetSize?: number;
}

export interface ProbeAttempt {
  ok: boolean;
  rttMs?: number;
  error?: string;
}

export interface ProbeOutcome {
  attempts: ProbeAttempt[];
  /** What the kernel of that namespace says the first hop is: the ground truth for a trace's first decision. */
  routeGet?: { dev?: string; gateway?: string; prefsrc?: string; type?: string };
  routeError?: string;
}

const inNetns = (path: string, argv: string[]) => ["nsenter", `--net=${path}`, "--", ...argv];

/** The IPv4 and ICMP headers: ping's -s counts only the payload. */
const ICMP_HEADERS = 28;

/**
 * iputils ping when installed, else busybox's (the agent image and the lab have one or the other).
 * busybox ping has no `-M do`, but it needs none: its raw socket keeps the kernel's default
 * path-MTU discovery (IP_PMTUDISC_WANT, net.ipv4.ip_no_pmtu_disc = 0), which sets DF, so a
 * packet larger than an MTU on the path is dropped, not fragmented (seen in the lab's wrong-mtu fault).
 */
function pingArgv(request: ProbeRequest): string[] {
  const { target, count, timeoutMs, packetSize } = request;
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const size = packetSize === undefined ? [] : ["-s", String(packetSize - ICMP_HEADERS)];
  if (existsSync("/usr/bin/ping") || existsSync("/bin/ping")) return ["ping", "-n", "-c", String(count), "-i", "0.2", "-W", seconds, ...(packetSize === undefined ? [] : ["-M", "do"]), ...size, target];
  return ["/bin/busybox", "ping", "-c", String(count), "-W", seconds, ...size, target];
}

async function icmp(request: ProbeRequest): Promise<ProbeAttempt[]> {
  const ping = pingArgv(request);
  const argv = inNetns(request.netnsPath, ping);
  const out = await run(argv, { okCodes: [0, 1], timeoutMs: request.count * (request.timeoutMs + 300) + 1000 }).catch((error: CommandError) => ({ stdout: "", stderr: error.stderr || error.message }));
  const replies = new Map<number, number>();
  for (const m of out.stdout.matchAll(/(?:icmp_)?seq=(\d+).*time=([\d.]+) ?ms/g)) replies.set(Number(m[1]), Number(m[2]));
  // busybox counts from 0, iputils from 1.
  const first = ping[0] === "/bin/busybox" ? 0 : 1;
  return Array.from({ length: request.count }, (_, i) => {
    const rtt = replies.get(first + i);
    return rtt !== undefined ? { ok: true, rttMs: rtt } : { ok: false, error: out.stderr.trim() || "no echo reply within the timeout" };
  });
}

/**
 * A TCP connect with busybox nc and nothing to send. nc gives up on its own at
 * `-w` when the connect does not complete; so if it is still running when our
 * longer timer ends it, the connection was made (and the server kept it open).
 */
async function tcpOnce(request: ProbeRequest): Promise<ProbeAttempt> {
  const seconds = Math.max(1, Math.ceil(request.timeoutMs / 1000));
  const argv = inNetns(request.netnsPath, ["/bin/busybox", "nc", "-w", String(seconds), request.target, String(request.port)]);
  const started = performance.now();
  try {
    await run(argv, { input: "", timeoutMs: seconds * 1000 + 500 });
    return { ok: true, rttMs: performance.now() - started };
  } catch (error) {
    const e = error as CommandError;
    if (/timed out after/.test(e.message) && !/can't connect/.test(e.stderr)) return { ok: true };
    return { ok: false, error: e.stderr.replace(/^nc: /, "").trim() || e.message };
  }
}

async function routeGet(request: ProbeRequest): Promise<Pick<ProbeOutcome, "routeGet" | "routeError">> {
  try {
    const out = await run(inNetns(request.netnsPath, ["ip", "-j", "route", "get", request.target]), { timeoutMs: 5_000 });
    const [r] = JSON.parse(out.stdout) as Array<{ dev?: string; gateway?: string; prefsrc?: string; type?: string }>;
    return { routeGet: { dev: r?.dev, gateway: r?.gateway, prefsrc: r?.prefsrc, type: r?.type } };
  } catch (error) {
    return { routeError: error instanceof CommandError ? error.stderr.trim() || error.message : (error as Error).message };
  }
}

/** A bounded probe from inside a namespace: `count` attempts, each bounded by `timeoutMs`, plus `ip route get`. */
export async function probe(request: ProbeRequest): Promise<ProbeOutcome> {
  const route = await routeGet(request);
  const attempts: ProbeAttempt[] = [];
  if (request.protocol === "icmp") attempts.push(...(await icmp(request)));
  else for (let i = 0; i < request.count; i++) attempts.push(await tcpOnce(request));
  return { attempts, ...route };
}
