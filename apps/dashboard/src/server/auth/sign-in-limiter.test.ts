import { describe, expect, it } from "vitest";
import { SignInLimiter } from "./sign-in-limiter";

describe("sign-in limiter", () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };
  const limits = { perAddress: 3, overall: 5, windowMs: 60_000 };

  it("lets an address fail its limit's worth in a window, then says how long to wait", () => {
    const c = clock();
    const limiter = new SignInLimiter(limits, c.now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.begin("10.0.0.1")).toBe(0);
      c.advance(10_000);
    }
    expect(limiter.begin("10.0.0.1")).toBe(30);
    c.advance(29_500);
    expect(limiter.begin("10.0.0.1")).toBe(1);
    c.advance(500);
    expect(limiter.begin("10.0.0.1")).toBe(0);
  });

  it("does not count a right password against the address", () => {
    const limiter = new SignInLimiter(limits, clock().now);
    for (let i = 0; i < 10; i++) {
      expect(limiter.begin("10.0.0.1")).toBe(0);
      limiter.succeeded("10.0.0.1");
    }
  });

  it("counts an attempt from its start, so concurrent guesses cannot all pass before the first is checked", () => {
    const limiter = new SignInLimiter(limits, clock().now);
    const begun = Array.from({ length: 10 }, () => limiter.begin("10.0.0.1"));
    expect(begun.filter((wait) => wait === 0)).toHaveLength(3);
  });

  it("counts nothing for a look at the wait, and each wrong token reported after it, against its address", () => {
    const limiter = new SignInLimiter(limits, clock().now);
    for (let i = 0; i < 10; i++) expect(limiter.tokenWait("10.0.0.1")).toBe(0);
    for (let i = 0; i < 3; i++) limiter.tokenFailed("10.0.0.1");
    expect(limiter.tokenWait("10.0.0.1")).toBe(60);
    expect(limiter.begin("10.0.0.1")).toBe(60);
  });

  it("lets wrong tokens from many addresses lock out neither other scripts nor passwords, and wrong passwords not the scripts", () => {
    const limiter = new SignInLimiter(limits, clock().now);
    for (let i = 0; i < 50; i++) limiter.tokenFailed(`10.0.3.${i}`);
    expect(limiter.tokenWait("10.0.9.9")).toBe(0);
    expect(limiter.begin("10.0.9.9")).toBe(0);
    for (let i = 0; i < 5; i++) limiter.begin(`10.0.4.${i}`);
    expect(limiter.begin("10.0.9.8")).toBe(60);
    expect(limiter.tokenWait("10.0.9.8")).toBe(0);
  });

  it("makes everyone wait once all addresses together reach the overall limit", () => {
    const limiter = new SignInLimiter(limits, clock().now);
    for (let i = 0; i < 5; i++) expect(limiter.begin(`10.0.1.${i}`)).toBe(0);
    expect(limiter.begin("10.0.2.1")).toBe(60);
  });

  it("forgets addresses whose failures have left the window", () => {
    const c = clock();
    const limiter = new SignInLimiter({ ...limits, overall: 1_000_000 }, c.now);
    for (let i = 0; i < 5_000; i++) limiter.begin(`addr-${i}`);
    c.advance(60_001);
    limiter.begin("late");
    expect((limiter as unknown as { failures: Map<string, number[]> }).failures.size).toBe(2);
  });
});
