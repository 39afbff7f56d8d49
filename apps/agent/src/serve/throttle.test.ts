import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Throttle } from "./throttle.js";

describe("Throttle", () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] }));
  afterEach(() => void vi.useRealTimers());

  it("runs a lone ask after the gathering time, once however often it was asked meanwhile", () => {
    const runs: number[] = [];
    const throttle = new Throttle(() => runs.push(performance.now()), 20, 1000);
    throttle.ask();
    throttle.ask();
    vi.advanceTimersByTime(19);
    expect(runs).toHaveLength(0);
    throttle.ask();
    vi.advanceTimersByTime(1);
    expect(runs).toHaveLength(1);
  });

  it("under a stream of asks runs at most once per interval, and still runs the last ask", () => {
    let runs = 0;
    const throttle = new Throttle(() => runs++, 20, 1000);
    // An ask every 10 ms for 5 s.
    for (let t = 0; t < 5000; t += 10) {
      throttle.ask();
      vi.advanceTimersByTime(10);
    }
    expect(runs).toBeGreaterThanOrEqual(5);
    expect(runs).toBeLessThanOrEqual(6);
    vi.advanceTimersByTime(1000);
    const settled = runs;
    vi.advanceTimersByTime(5000);
    expect(runs).toBe(settled);
  });

  it("after a quiet interval answers the next ask after the gathering time again", () => {
    let runs = 0;
    const throttle = new Throttle(() => runs++, 20, 1000);
    throttle.ask();
    vi.advanceTimersByTime(20);
    vi.advanceTimersByTime(2000);
    throttle.ask();
    vi.advanceTimersByTime(20);
    expect(runs).toBe(2);
  });

  it("drops a waiting run when cancelled, and says whether one was waiting", () => {
    let runs = 0;
    const throttle = new Throttle(() => runs++, 20, 1000);
    throttle.ask();
    expect(throttle.cancel()).toBe(true);
    expect(throttle.cancel()).toBe(false);
    vi.advanceTimersByTime(100);
    expect(runs).toBe(0);
  });
});
