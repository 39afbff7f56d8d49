/** Progress lines on stderr, with the time since the start, so stdout stays for results. */
export function progress(quiet = false): (message: string) => void {
  const start = Date.now();
  return (message) => {
    if (!quiet) process.stderr.write(`[${((Date.now() - start) / 1000).toFixed(1)}s] ${message}\n`);
  };
}
