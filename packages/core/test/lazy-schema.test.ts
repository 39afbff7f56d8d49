import { describe, expect, it } from "vitest";
import { z } from "zod";
import { lazySchema } from "../src/model/lazy-schema.js";

describe("lazySchema", () => {
  const eagerRef = z.object({ netns: z.number().int(), ifindex: z.number().int().positive() });

  it("builds the schema once, on first use, not before", () => {
    let builds = 0;
    const Ref = lazySchema(() => {
      builds++;
      return z.object({ netns: z.number().int(), ifindex: z.number().int().positive() });
    });
    expect(builds).toBe(0);
    expect(Ref.parse({ netns: 1, ifindex: 2 })).toEqual({ netns: 1, ifindex: 2 });
    expect(Ref.safeParse({ netns: 1, ifindex: 0 }).success).toBe(false);
    expect(builds).toBe(1);
  });

  it("acts as the schema it stands for: nested, optional, refined, instanceof, JSON Schema and errors", () => {
    const Ref = lazySchema(() => z.object({ netns: z.number().int(), ifindex: z.number().int().positive() }));
    const Link = lazySchema(() => z.object({ name: z.string(), peer: Ref.optional(), ports: z.array(Ref) }));
    const EagerLink = z.object({ name: z.string(), peer: eagerRef.optional(), ports: z.array(eagerRef) });
    expect(Ref).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(Ref.shape)).toEqual(["netns", "ifindex"]);
    expect(z.toJSONSchema(Link)).toEqual(z.toJSONSchema(EagerLink));
    const bad = { name: "eth0", ports: [{ netns: 1, ifindex: -1 }] };
    expect(Link.safeParse(bad).error?.issues).toEqual(EagerLink.safeParse(bad).error?.issues);
    const good = { name: "eth0", peer: { netns: 7, ifindex: 3 }, ports: [] };
    expect(Link.parse(good)).toEqual(good);
    expect(Link.extend({ mtu: z.number() }).parse({ ...good, mtu: 1500 })).toEqual({ ...good, mtu: 1500 });
  });
});
