import { describe, expect, it } from "vitest";
import config from "../next.config";

/** The headers next.config gives every answer. */
describe("security headers", () => {
  const rules = async () => (await config.headers?.()) ?? [];
  const headersOf = (rule: { headers: { key: string; value: string }[] }) => Object.fromEntries(rule.headers.map((h) => [h.key, h.value]));

  it("lets pages load only from the dashboard itself, and no other page frame it", async () => {
    const [all] = await rules();
    expect(all?.source).toBe("/:path*");
    expect(all?.has).toBeUndefined();
    const headers = headersOf(all as { headers: { key: string; value: string }[] });
    const csp = Object.fromEntries(headers["Content-Security-Policy"]?.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]) ?? []);
    expect(csp).toMatchObject({ "default-src": "'self'", "connect-src": "'self'", "worker-src": "'self'", "frame-ancestors": "'none'", "object-src": "'none'" });
    expect(headers).toMatchObject({ "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin" });
    expect(headers["Strict-Transport-Security"]).toBeUndefined();
  });

  it("sends HSTS only when a proxy says the browser came over https", async () => {
    const [, https] = await rules();
    expect(https?.has).toEqual([{ type: "header", key: "x-forwarded-proto", value: "https" }]);
    expect(headersOf(https as { headers: { key: string; value: string }[] })).toEqual({ "Strict-Transport-Security": "max-age=31536000" });
  });
});
