import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeOp, InterfaceName, Op, WritableInterfaceName } from "@netatlas/core";
import { renderOp } from "../src/index.js";
import { batchLine } from "../src/fabric/batch-line.js";
import { readBatch } from "./iproute2-batch-reader.js";

const reason = "test";
const BATCHED_OPS = ["del-route", "del-neigh", "del-fdb", "del-link", "add-bridge", "add-vxlan", "set-mtu", "add-address", "set-up", "replace-neigh", "add-fdb", "replace-route"] as const;

/** Characters iproute2's batch reader treats specially, generated often next to ordinary ones. */
const special = fc.constantFrom("#", "'", '"', "\\", " ", "\t", "\n", "\r", "\v", "\0", "\x01", "\x7f");
const ordinary = fc.constantFrom("a", "e", "t", "h", "0", "1", ".", "-", "_", "é", "@", "+", "/", ":");
const anyText = fc.string({ unit: fc.oneof(ordinary, special, fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 16 });
const kernelName = fc.string({ unit: fc.oneof(ordinary, special), minLength: 1, maxLength: 15 }).filter((s) => InterfaceName.safeParse(s).success);
const writableName = fc
  .oneof(fc.string({ unit: ordinary, minLength: 1, maxLength: 15 }), fc.string({ unit: "binary", minLength: 1, maxLength: 15 }))
  .filter((s) => WritableInterfaceName.safeParse(s).success);

const ip4 = fc.ipV4();
const cidr4 = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, len]) => `${ip}/${len}`);
const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, "0")).join(":"));

interface Values {
  /** A name an op adds or changes, and one it removes (as the kernel has it). */
  name: fc.Arbitrary<string>;
  removed: fc.Arbitrary<string>;
  ip: fc.Arbitrary<string>;
  cidr: fc.Arbitrary<string>;
  mac: fc.Arbitrary<string>;
}

/** Every op kind that goes through `ip -batch` or `bridge -batch`, with its strings drawn from `v`. */
function batchedOp(v: Values): fc.Arbitrary<Op> {
  const num = fc.integer({ min: 1, max: 16_777_215 });
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const ops: Record<(typeof BATCHED_OPS)[number], fc.Arbitrary<object>> = {
    "del-route": fc.record({ dst: v.cidr, via: maybe(v.ip), dev: maybe(v.removed) }),
    "del-neigh": fc.record({ address: v.ip, dev: v.removed }),
    "del-fdb": fc.record({ mac: v.mac, dev: v.removed, dst: maybe(v.ip) }),
    "del-link": fc.record({ name: v.removed }),
    "add-bridge": fc.record({ name: v.name, mtu: num }),
    "add-vxlan": fc.record({ name: v.name, vni: num, port: num, local: v.ip, dev: v.name, mtu: num, mac: v.mac }),
    "set-mtu": fc.record({ name: v.name, mtu: num }),
    "add-address": fc.record({ dev: v.name, cidr: v.cidr }),
    "set-up": fc.record({ name: v.name }),
    "replace-neigh": fc.record({ address: v.ip, lladdr: v.mac, dev: v.name }),
    "add-fdb": fc.record({ mac: v.mac, dev: v.name, dst: v.ip }),
    "replace-route": fc.record({ dst: v.cidr, via: v.ip, dev: v.name, onlink: fc.boolean() }),
  };
  return fc.oneof(...BATCHED_OPS.map((kind) => ops[kind].map((fields) => ({ op: kind, ...fields, reason }) as Op)));
}

describe("batch lines", () => {
  it("writes every op with names and addresses from the allowed sets as lines iproute2 reads back as exactly its argv", () => {
    const allowed = batchedOp({ name: writableName, removed: writableName, ip: ip4, cidr: cidr4, mac });
    fc.assert(
      fc.property(allowed, (op) => {
        expect(Op.safeParse(op).success).toBe(true);
        for (const step of renderOp(op)) expect(readBatch(`${batchLine(step.argv, describeOp(op))}\n`)).toEqual([step.argv.slice(1)]);
      }),
      { numRuns: 2_000 },
    );
  });

  it("for any strings (kernel names with '#', quotes, backslashes), writes a line that reads back as exactly the argv or refuses naming the op, never a shortened one", () => {
    const any = batchedOp({ name: anyText, removed: kernelName, ip: anyText, cidr: anyText, mac: anyText });
    fc.assert(
      fc.property(any, (op) => {
        for (const step of renderOp(op)) {
          const write = () => batchLine(step.argv, describeOp(op));
          if (step.argv.some((arg) => arg.includes("#"))) expect(write).toThrow(describeOp(op));
          let line: string;
          try {
            line = write();
          } catch (error) {
            expect((error as Error).message).toContain(`cannot write "${describeOp(op)}"`);
            continue;
          }
          expect(readBatch(`${line}\n`)).toEqual([step.argv.slice(1)]);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it("refuses the route the issue saw applied as `dev eth0` without onlink and protocol 157", () => {
    const op: Op = { op: "replace-route", dst: "10.244.1.0/24", via: "10.244.1.0", dev: "eth0#x", onlink: true, reason };
    const [step] = renderOp(op);
    // What joining the words would have sent: iproute2 reads only up to the '#'.
    expect(readBatch(`${step!.argv.slice(1).join(" ")}\n`)).toEqual([["route", "replace", "10.244.1.0/24", "via", "10.244.1.0", "dev", "eth0"]]);
    expect(() => batchLine(step!.argv, describeOp(op))).toThrow(`cannot write "ip route replace 10.244.1.0/24 via 10.244.1.0 dev eth0#x onlink" as an ip -batch line: the argument "eth0#x" holds '#'`);
  });

  it("refuses a word that starts with a quote or ends in a backslash, and writes one with either inside, as iproute2 reads it", () => {
    expect(() => batchLine(["ip", "link", "del", "'a"], "ip link del 'a")).toThrow(/starts with a quote/);
    expect(() => batchLine(["ip", "link", "del", "a\\"], "ip link del a\\")).toThrow(/ends in a backslash/);
    expect(readBatch(`${batchLine(["ip", "link", "del", "a'b\\c", "up"], "ip link del a'b\\c up")}\n`)).toEqual([["link", "del", "a'b\\c", "up"]]);
  });
});

describe("the port of iproute2's batch reader", () => {
  it("reads quotes, comments, continuations and NULs as iproute2 does", () => {
    expect(readBatch(`link set "my dev" up # a comment\n\n`)).toEqual([["link", "set", "my dev", "up"]]);
    expect(() => readBatch(`link set 'a#b' up\n`)).toThrow("Unterminated quoted string");
    expect(readBatch(`link del a\\\nb\n`)).toEqual([["link", "del", "ab"]]);
    expect(readBatch(`link del a\0b\nlink del c\n`)).toEqual([["link", "del", "a"], ["link", "del", "c"]]);
  });
});
