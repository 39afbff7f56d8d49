import { describe, expect, it } from "vitest";
import { kernelDifferences } from "../src/diff/kernel-differences.js";
import type { NodeSnapshot } from "../src/index.js";
import { fixtureSnapshot } from "./fixture-snapshot.js";

describe("kernelDifferences", () => {
  const read = fixtureSnapshot();

  it("finds nothing between a snapshot and a copy made at another time in another order", () => {
    const live: NodeSnapshot = { ...read, collectedAt: "2030-01-01T00:00:00.000Z", routes: [...read.routes].reverse(), links: [...read.links].reverse() };
    expect(kernelDifferences(live, read)).toEqual([]);
  });

  it("names each object only one side has, by the side that has it", () => {
    const [gone, changed] = read.routes;
    const moved = { ...changed!, metric: 4242 };
    const live: NodeSnapshot = { ...read, routes: [moved, ...read.routes.slice(2)], namespaces: read.namespaces.slice(1) };
    expect(kernelDifferences(live, read).sort()).toEqual(
      [
        `live routes ${JSON.stringify(moved)}`,
        `read routes ${JSON.stringify(gone)}`,
        `read routes ${JSON.stringify(changed)}`,
        `read namespaces ${read.namespaces[0]!.id} ${read.namespaces[0]!.names.join(",")}`,
      ].sort(),
    );
  });

  it("counts an object the live side holds twice", () => {
    const twice = read.addresses[0]!;
    expect(kernelDifferences({ ...read, addresses: [...read.addresses, twice] }, read)).toEqual([`live addresses ${JSON.stringify(twice)}`]);
  });

  it("leaves out what no notification tells of: a neighbour's NUD state short of PERMANENT, an INCOMPLETE neighbour, a device's multicast list", () => {
    const netns = read.namespaces[0]!.id;
    const reachable = { netns, family: 4 as const, address: "10.244.1.9", dev: "eth0", lladdr: "02:00:00:00:00:09", state: ["REACHABLE"], router: false };
    const incomplete = { ...reachable, address: "10.244.1.10", lladdr: undefined, state: ["INCOMPLETE"] };
    const multicast = { netns, mac: "33:33:ff:00:00:01", dev: "eth0", state: "permanent", flags: ["self"] };
    const live: NodeSnapshot = { ...read, neighbors: [...read.neighbors, reachable] };
    const fresh: NodeSnapshot = { ...read, neighbors: [...read.neighbors, { ...reachable, state: ["STALE"] }, incomplete], fdb: [...read.fdb, multicast] };
    expect(kernelDifferences(live, fresh)).toEqual([]);
    expect(kernelDifferences({ ...live, neighbors: [...read.neighbors, { ...reachable, state: ["PERMANENT"] }] }, fresh)).toHaveLength(2);
  });

  it("compares only the namespaces asked for", () => {
    const [first, second] = read.namespaces;
    const live: NodeSnapshot = { ...read, routes: read.routes.filter((r) => r.netns !== second!.id) };
    expect(kernelDifferences(live, read, (ns) => ns.id === first!.id)).toEqual([]);
    expect(kernelDifferences(live, read, (ns) => ns.id === second!.id).length).toBeGreaterThan(0);
  });
});
