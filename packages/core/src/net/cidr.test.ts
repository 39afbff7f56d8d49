import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrContains, cidrContainsIp, cidrsOverlap, formatCidr, nthAddress, nthSubnet, parseCidr, cidrSize, ipToBigInt } from "./cidr.js";

const ipv4Cidr = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, len]) => `${ip}/${len}`);
const ipv6Cidr = fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, len]) => `${ip}/${len}`);
const anyCidr = fc.oneof(ipv4Cidr, ipv6Cidr);

describe("CIDR arithmetic", () => {
  it("round-trips: formatting a parsed CIDR and parsing it again gives the same network", () => {
    fc.assert(
      fc.property(anyCidr, (text) => {
        const once = parseCidr(text);
        const twice = parseCidr(formatCidr(once));
        expect(formatCidr(twice)).toBe(formatCidr(once));
        expect(cidrContainsIp(once, text.split("/")[0] as string)).toBe(true);
      }),
    );
  });

  it("overlap is symmetric and equals containment one way or the other", () => {
    fc.assert(
      fc.property(ipv4Cidr, ipv4Cidr, (a, b) => {
        expect(cidrsOverlap(a, b)).toBe(cidrsOverlap(b, a));
        expect(cidrsOverlap(a, b)).toBe(cidrContains(a, b) || cidrContains(b, a));
      }),
    );
  });

  it("overlap agrees with brute-force address ranges", () => {
    fc.assert(
      fc.property(ipv4Cidr, ipv4Cidr, (a, b) => {
        const range = (t: string) => {
          const c = parseCidr(t);
          const first = ipToBigInt(c.network);
          return [first, first + cidrSize(c) - 1n] as const;
        };
        const [a1, a2] = range(a);
        const [b1, b2] = range(b);
        expect(cidrsOverlap(a, b)).toBe(a1 <= b2 && b1 <= a2);
      }),
    );
  });

  it("cuts subnets that tile the parent without gaps or overlap", () => {
    fc.assert(
      fc.property(ipv4Cidr.filter((c) => Number(c.split("/")[1]) <= 28), fc.integer({ min: 0, max: 4 }), (parentText, extra) => {
        const parent = parseCidr(parentText);
        const len = parent.prefixLength + extra;
        const count = 1n << BigInt(extra);
        const subnets = Array.from({ length: Number(count) }, (_, i) => nthSubnet(parent, len, BigInt(i)));
        for (const s of subnets) expect(cidrContains(parent, s)).toBe(true);
        for (let i = 1; i < subnets.length; i++) {
          expect(cidrsOverlap(subnets[i - 1]!, subnets[i]!)).toBe(false);
          expect(ipToBigInt(subnets[i]!.network)).toBe(ipToBigInt(subnets[i - 1]!.network) + cidrSize(subnets[i]!));
        }
        expect(() => nthSubnet(parent, len, count)).toThrow(/outside/);
      }),
    );
  });

  it("clears host bits and handles IPv6", () => {
    expect(formatCidr(parseCidr("10.244.1.7/24"))).toBe("10.244.1.0/24");
    expect(formatCidr(parseCidr("2001:db8::1/64"))).toBe("2001:db8::/64");
    expect(formatCidr(parseCidr("10.0.0.1"))).toBe("10.0.0.1/32");
    expect(nthAddress(parseCidr("10.244.1.0/24"), 1n).toString()).toBe("10.244.1.1");
    expect(cidrsOverlap("10.0.0.0/8", "2001:db8::/32")).toBe(false);
  });

  it("rejects bad input with a message naming it", () => {
    expect(() => parseCidr("10.0.0.0/33")).toThrow(/"10.0.0.0\/33" has a bad prefix length/);
    expect(() => parseCidr("banana/8")).toThrow(/"banana" is not an IP address/);
    expect(() => parseCidr("10.0.0.0/8/9")).toThrow(/not a CIDR/);
    expect(() => parseCidr("10.1/16")).toThrow(/not an IP address/);
  });
});
