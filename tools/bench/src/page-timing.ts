import type { Page } from "playwright-core";
import { median, type Measurement } from "./measure.js";

export interface RequestTiming {
  ttfb: Measurement;
  total: Measurement;
  bytes: number;
}

/**
 * GET `url` `runs` times after one warm-up, one at a time: time to the response
 * headers (fetch resolves there, so this is the server's work before its first
 * byte) and to the last byte of the body; medians of each.
 */
export async function timeGet(label: string, url: string, cookie: string, runs: number): Promise<RequestTiming> {
  const ttfb: number[] = [];
  const total: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
    const headers = performance.now();
    const body = await res.arrayBuffer();
    const end = performance.now();
    if (res.status !== 200) throw new Error(`GET ${url} answered HTTP ${res.status}, not 200: ${Buffer.from(body).toString("utf8").slice(0, 300)}`);
    bytes = body.byteLength;
    if (i === 0) continue;
    ttfb.push(headers - start);
    total.push(end - start);
  }
  return { ttfb: { label, ms: median(ttfb) }, total: { label: `${label}, ${(bytes / 1024).toFixed(0)} KiB`, ms: median(total) }, bytes };
}

/**
 * Navigates `page` to `url` `runs` times after one warm-up and times each from
 * the start of the navigation to the first animation frame in which the
 * JavaScript expression `rendered` is true in the page (a string: this package
 * is compiled without the DOM's types); the median.
 */
export async function timeRender(label: string, page: Page, url: string, rendered: string, runs: number, timeoutMs = 180_000): Promise<Measurement> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    await page.goto(url, { waitUntil: "commit" });
    try {
      await page.waitForFunction(rendered, undefined, { polling: "raf", timeout: timeoutMs });
    } catch (error) {
      throw new Error(`${url} did not render within ${timeoutMs} ms in Chromium (${label}): ${(error as Error).message.split("\n")[0]}`);
    }
    if (i > 0) times.push(performance.now() - start);
  }
  return { label, ms: median(times) };
}
