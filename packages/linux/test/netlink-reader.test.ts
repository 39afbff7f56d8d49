import { readlinkSync, statSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NamespaceState } from "@netatlas/core";
import { readNamespaceIproute2, run, type KernelRead } from "../src/index.js";
import { loadNetlinkAddon } from "../src/netlink/addon.js";
import { parseAttributes, splitMessages, text } from "../src/netlink/messages.js";
import { readNamespaceNetlink } from "../src/netlink/read-namespace-netlink.js";
import { createCniNode, uniquePrefix, type CniNode } from "../src/testing/index.js";

/** A host-order netlink message: nlmsghdr, then `body` padded to 4 bytes. */
function message(type: number, flags: number, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(16 + body.length, 0);
  header.writeUInt16LE(type, 4);
  header.writeUInt16LE(flags, 6);
  return Buffer.concat([header, body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
}

function attribute(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(4 + value.length, 0);
  header.writeUInt16LE(type, 2);
  return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

describe("the netlink message splitter", () => {
  it("splits concatenated messages and their padded attributes, nests included", () => {
    const nested = attribute(1, Buffer.from("vxlan\0"));
    const body = Buffer.concat([Buffer.alloc(16), attribute(3, Buffer.from("eth0\0")), attribute(18 | 0x8000, nested), attribute(4, Buffer.from([0xdc, 0x05, 0, 0]))]);
    const bytes = Buffer.concat([message(16, 2, body), message(20, 0, Buffer.alloc(8))]);

    const messages = splitMessages(bytes);
    expect(messages.map((m) => [m.type, m.flags, m.body.length])).toEqual([
      [16, 2, body.length],
      [20, 0, 8],
    ]);
    const attrs = parseAttributes(messages[0]!.body, 16);
    expect(text(attrs.get(3))).toBe("eth0");
    expect(attrs.get(4)?.readUInt32LE(0)).toBe(1500);
    // NLA_F_NESTED (0x8000) is not part of the type.
    expect(text(parseAttributes(attrs.get(18)!).get(1))).toBe("vxlan");
  });

  it("refuses a message that claims more bytes than the dump holds", () => {
    const bytes = message(16, 0, Buffer.alloc(16)).subarray(0, 24);
    expect(() => splitMessages(bytes)).toThrow(/claims 32 bytes, but 24 remain/);
  });
});

const addon = loadNetlinkAddon();

// Needs root and the addon (tools/run/setup.sh builds it; CI must have it): real namespaces with a unique prefix, removed after.
describe.skipIf(!addon && !process.env.CI)("the in-process netlink reader", () => {
  let cni: CniNode;

  beforeAll(async () => {
    cni = await createCniNode(uniquePrefix("nanl"), { pods: 2, vxlan: true });
    // Routes whose family only the message tells: an IPv4 route via an IPv6 next hop, and an
    // IPv6 route without an address in it, which `ip route show table all` lists with the IPv4 ones.
    await run(["ip", "-4", "-n", cni.underlay, "route", "add", "default", "via", "inet6", "fe80::1", "dev", "u-node"]);
    await run(["ip", "-n", cni.underlay, "-6", "route", "add", "default", "dev", "br-underlay", "metric", "77"]);
  }, 30_000);
  afterAll(async () => cni?.destroy());

  it("reads the same model as the ip -j reader in every namespace of a CNI node: links, addresses, routes, neighbours, FDB and sysctls", { timeout: 20_000 }, async () => {
    for (const name of cni.all) {
      const path = `/var/run/netns/${name}`;
      const netns = statSync(path).ino;
      const readBoth = async (): Promise<[KernelRead, KernelRead]> => [await readNamespaceNetlink(path, netns, 5_000), await readNamespaceIproute2(path, netns, 5_000)];
      let [netlink, iproute2] = await readBoth();
      // A fresh bridge can still be going from UNKNOWN to UP between the two reads: read again until the kernel settles.
      // As toEqual compares: keys with undefined values and the order of keys do not count.
      const model = (read: KernelRead): unknown => JSON.parse(JSON.stringify([read.state, read.sysctls]));
      for (let attempt = 0; attempt < 10 && !isDeepStrictEqual(model(netlink), model(iproute2)); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        [netlink, iproute2] = await readBoth();
      }
      expect(netlink.state, name).toEqual(iproute2.state);
      expect(netlink.sysctls, name).toEqual(iproute2.sysctls);
      expect(netlink.state.links.every((l) => l.netns === netns) && netlink.state.routes.every((r) => r.netns === netns), name).toBe(true);
      // The decoders' entries are not checked at run time: they must fit the schema as they are.
      expect(NamespaceState.parse(netlink.state), name).toEqual(netlink.state);
    }
  });

  it("gives a route the family of its message, whatever its next hop or the list it is printed in", async () => {
    const path = `/var/run/netns/${cni.underlay}`;
    const underlay = await readNamespaceNetlink(path, 1, 5_000);
    const defaults = underlay.state.routes.filter((r) => r.table === "main" && r.dst.endsWith("/0"));
    expect(defaults).toEqual([
      expect.objectContaining({ family: 4, dst: "0.0.0.0/0", via: "fe80::1", dev: "u-node" }),
      expect.objectContaining({ family: 6, dst: "::/0", dev: "br-underlay", metric: 77 }),
    ]);
    expect((await readNamespaceIproute2(path, 1, 5_000)).state.routes.filter((r) => r.table === "main" && r.dst.endsWith("/0"))).toEqual(defaults);
  });

  it("sees the VXLAN device, its peer's FDB entry and the node's forwarding", async () => {
    const node = await readNamespaceNetlink(`/var/run/netns/${cni.node}`, 1, 5_000);
    expect(node.state.links.find((l) => l.name === "flannel.1")?.vxlan).toMatchObject({ vni: 1, port: 8472, local: "192.168.77.10", device: "eth0", learning: false });
    expect(node.state.fdb).toContainEqual(expect.objectContaining({ mac: "0e:00:00:00:02:01", dev: "flannel.1", dst: "192.168.77.11", state: "permanent", flags: ["self"] }));
    expect(node.state.routes).toContainEqual(expect.objectContaining({ table: "100", type: "blackhole", dst: "10.99.0.0/16", protocol: "77" }));
    expect(node.sysctls.ipForward).toBe(true);
  });

  it("returns the thread to its own namespace after a call that fails, and after one that succeeds", () => {
    const before = readlinkSync("/proc/thread-self/ns/net");
    expect(() => addon!.dump(`/var/run/netns/${cni.prefix}-missing`)).toThrow(/^open \/var\/run\/netns\/.*-missing: No such file or directory$/);
    // A file that opens but is no namespace fails at setns.
    expect(() => addon!.dump("/proc/self/status")).toThrow(/^setns \/proc\/self\/status: Invalid argument$/);
    expect(readlinkSync("/proc/thread-self/ns/net")).toBe(before);
    addon!.dump(`/var/run/netns/${cni.node}`);
    expect(readlinkSync("/proc/thread-self/ns/net")).toBe(before);
  });
});
