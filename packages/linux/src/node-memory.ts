/**
 * Memory pressure from systeminformation's `mem()`, which reads /proc/meminfo in
 * this process (unlike its interface and OS readers, which start shells). Loaded
 * on first use: a one-off `snapshot` does not pay for it.
 */
export async function readMemoryPressure(): Promise<{ memoryAvailableBytes: number; swapUsedBytes: number }> {
  const si = (await import("systeminformation")).default;
  const mem = await si.mem();
  return { memoryAvailableBytes: mem.available, swapUsedBytes: mem.swapused };
}
