import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCidr, parseCidr, parseIpAddresses, parseIpRoutes, type Address, type Route } from "../src/index.js";

// Renders the model the way `ip -j -d` prints it, so parse(render(x)) must give x back.
function renderRoute(r: Route): Record<string, unknown> {
  const host = r.family === 4 ? "/32" : "/128";
  const dst = r.dst === "0.0.0.0/0" || r.dst === "::/0" ? "default" : r.dst.endsWith(host) ? r.dst.slice(0, -host.length) : r.dst;
  return { type: r.type, dst, gateway: r.via, dev: r.dev, table: r.table, protocol: r.protocol, scope: r.scope, metric: r.metric, prefsrc: r.prefsrc, flags: r.flags };
}

function renderAddresses(list: Address[]): unknown[] {
  return list.map((a) => ({ ifindex: a.ifindex, ifname: a.ifname, addr_info: [{ family: a.family === 4 ? "inet" : "inet6", local: a.address, prefixlen: a.prefixLength, scope: a.scope, broadcast: a.broadcast }] }));
}

const cidr4 = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, len]) => formatCidr(parseCidr(`${ip}/${len}`)));
const route = fc.record({
  netns: fc.constant(7),
  family: fc.constant(4 as const),
  table: fc.constantFrom("main", "local", "100"),
  type: fc.constantFrom("unicast", "local", "blackhole", "unreachable", "broadcast"),
  dst: cidr4,
  via: fc.option(fc.ipV4(), { nil: undefined }),
  dev: fc.option(fc.constantFrom("eth0", "cni0", "flannel.1"), { nil: undefined }),
  protocol: fc.constantFrom("kernel", "boot", "static", "77"),
  scope: fc.constantFrom("global", "link", "host"),
  metric: fc.option(fc.nat(10_000), { nil: undefined }),
  prefsrc: fc.option(fc.ipV4(), { nil: undefined }),
  flags: fc.subarray(["onlink", "linkdown"]),
}) as fc.Arbitrary<Route>;

const address = fc.record({
  netns: fc.constant(7),
  ifindex: fc.integer({ min: 1, max: 500 }),
  ifname: fc.constantFrom("eth0", "cni0", "docker0"),
  family: fc.constant(4 as const),
  address: fc.ipV4(),
  prefixLength: fc.integer({ min: 0, max: 32 }),
  scope: fc.constantFrom("global", "link", "host"),
  broadcast: fc.option(fc.ipV4(), { nil: undefined }),
}) as fc.Arbitrary<Address>;

describe("parser round trips", () => {
  it("a route rendered as iproute2 JSON parses back to itself", () => {
    fc.assert(
      fc.property(fc.array(route, { maxLength: 8 }), (routes) => {
        const json = JSON.parse(JSON.stringify(routes.map(renderRoute)));
        expect(parseIpRoutes(json, 7, 4)).toEqual(routes);
      }),
    );
  });

  it("addresses rendered as iproute2 JSON parse back to themselves", () => {
    fc.assert(
      fc.property(fc.array(address, { maxLength: 8 }), (addresses) => {
        const json = JSON.parse(JSON.stringify(renderAddresses(addresses)));
        expect(parseIpAddresses(json, 7)).toEqual(addresses);
      }),
    );
  });
});
