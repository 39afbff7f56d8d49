import { run } from "@netatlas/linux";

export interface Measurement {
  label: string;
  /** Median wall time of the runs. */
  ms: number;
  /** Peak resident set of the measured process, when it was a process run under GNU time. */
  peakRssMb?: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs fn `runs` times after one warm-up run and keeps the median. */
export async function timeMedian(label: string, runs: number, fn: () => Promise<unknown>): Promise<Measurement> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return { label, ms: median(times) };
}

/**
 * Times several contenders in turns (one run of each, then the next round), after one
 * warm-up run of each, and keeps each one's median. On a busy machine the load drifts
 * over a benchmark; taken in turns, the rows of a ratio see the same load.
 */
export async function timeInTurns(runs: number, contenders: Array<{ label: string; fn: () => Promise<unknown> }>): Promise<Measurement[]> {
  for (const c of contenders) await c.fn();
  const times = contenders.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of contenders.entries()) {
      const start = performance.now();
      await c.fn();
      times[k]?.push(performance.now() - start);
    }
  }
  return contenders.map((c, k) => ({ label: c.label, ms: median(times[k] ?? []) }));
}

/** Runs a command under GNU time to learn its peak RSS (`%M`, in KiB), printed last on stderr. */
export async function peakRssMb(argv: string[]): Promise<number> {
  const out = await run(["/usr/bin/time", "-f", "netatlas-peak-rss-kib %M", ...argv], { timeoutMs: 120_000 });
  const m = /netatlas-peak-rss-kib (\d+)/.exec(out.stderr);
  if (!m) throw new Error(`GNU time printed no peak RSS for ${argv.join(" ")}`);
  return Number(m[1]) / 1024;
}

/** A table of measurements with their ratio to the first (the baseline). */
export function formatRatios(title: string, rows: Measurement[]): string {
  const base = rows[0]?.ms ?? 1;
  const width = Math.max(...rows.map((r) => r.label.length));
  const lines = rows.map((r) => `  ${r.label.padEnd(width)}  ${r.ms.toFixed(1).padStart(9)} ms  ${(r.ms / base).toFixed(3).padStart(7)}x${r.peakRssMb === undefined ? "" : `  peak RSS ${r.peakRssMb.toFixed(1)} MB`}`);
  return [title, ...lines].join("\n");
}
