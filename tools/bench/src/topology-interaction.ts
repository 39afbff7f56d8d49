import type { Page } from "playwright-core";

export interface InteractionTiming {
  label: string;
  /** Wall time of the whole interaction, as a person waits for it. */
  ms: number;
  /** The longest gap between two animation frames meanwhile: how long the page froze at worst. */
  worstFrameMs: number;
  /** The longest main-thread task meanwhile (Long Tasks API; 0 when none passed 50 ms). */
  longestTaskMs: number;
}

/** In the page, from its first script: every long task (>50 ms) is kept for the benchmark to read. */
export const RECORD_LONG_TASKS = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration }); }).observe({ type: "longtask", buffered: true });
})()`;

/** Starts counting animation frames in the page; the returned function ends and reads the count. */
async function watchFrames(page: Page): Promise<() => Promise<{ worstFrameMs: number; longestTaskMs: number }>> {
  await page.evaluate(`(() => {
    const w = window;
    w.__since = performance.now();
    w.__frames = [];
    w.__watching = true;
    const tick = (t) => { w.__frames.push(t); if (w.__watching) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  return async () =>
    (await page.evaluate(`(() => {
      const w = window;
      w.__watching = false;
      const f = w.__frames;
      let worst = 0;
      for (let i = 1; i < f.length; i++) worst = Math.max(worst, f[i] - f[i - 1]);
      const tasks = w.__longTasks.filter((t) => t.start >= w.__since);
      return { worstFrameMs: worst, longestTaskMs: Math.max(0, ...tasks.map((t) => t.ms)) };
    })()`)) as { worstFrameMs: number; longestTaskMs: number };
}

/** The longest main-thread task since the page's navigation began (the first render's worst freeze). */
export async function longestTaskSoFar(page: Page): Promise<number> {
  return (await page.evaluate(`Math.max(0, ...window.__longTasks.map((t) => t.ms))`)) as number;
}

/** Ten wheel zooms and a drag over the graph, then a settle of 400 ms (sigma's and React Flow's animations). */
export async function timeZoomAndPan(page: Page, label: string): Promise<InteractionTiming> {
  const box = await page.getByTestId("topology").boundingBox();
  if (!box) throw new Error("the topology is not on the page");
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(cx, cy);
  const stop = await watchFrames(page);
  const start = performance.now();
  for (let i = 0; i < 10; i++) {
    await page.mouse.wheel(0, i < 5 ? -240 : 240);
    await page.waitForTimeout(30);
  }
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(cx + i * 20, cy + i * 10);
  await page.mouse.up();
  const ms = performance.now() - start;
  await page.waitForTimeout(400);
  return { label, ms, ...(await stop()) };
}

/** Types `query` into the topology's find box and submits: until the details panel names `expect` and the camera has moved there. */
export async function timeSearchFocus(page: Page, query: string, expected: string, label: string): Promise<InteractionTiming> {
  await page.getByLabel("Find").fill(query);
  const stop = await watchFrames(page);
  const start = performance.now();
  await page.getByRole("button", { name: "Focus" }).click();
  await page.getByTestId("details").locator("h2", { hasText: expected }).waitFor({ timeout: 30_000 });
  const ms = performance.now() - start;
  await page.waitForTimeout(400);
  return { label, ms, ...(await stop()) };
}

export function formatInteractions(title: string, rows: InteractionTiming[]): string {
  const width = Math.max(...rows.map((r) => r.label.length));
  return [title, ...rows.map((r) => `  ${r.label.padEnd(width)}  ${r.ms.toFixed(0).padStart(6)} ms   worst frame ${r.worstFrameMs.toFixed(0).padStart(5)} ms   longest task ${r.longestTaskMs.toFixed(0).padStart(5)} ms`)].join("\n");
}

/**
 * Details on click, at full scale: with `focused` centred by a search, a click
 * in the middle of the drawing selects it; a search for `other` then moves the
 * view, but the details keep the clicked element (a selection outranks a focus).
 */
export async function checkClickSelects(page: Page, focused: string, other: string): Promise<void> {
  const box = await page.getByTestId("topology").boundingBox();
  if (!box) throw new Error("the topology is not on the page");
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.getByLabel("Find").fill(other);
  await page.getByRole("button", { name: "Focus" }).click();
  await page.waitForURL((url) => url.searchParams.get("focus") === other);
  await page.waitForTimeout(500);
  const shown = await page.getByTestId("details").locator("h2").textContent();
  if (!shown?.includes(focused)) throw new Error(`a click on the centred ${focused} did not select it: the details show "${shown}"`);
}
