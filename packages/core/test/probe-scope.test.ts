import { describe, expect, it } from "vitest";
import { allocate, FleetSpec, nodeIntent, probeRefusal, type Route } from "../src/index.js";
import { fixtureSnapshot } from "./fixture-snapshot.js";

const spec = FleetSpec.parse({ podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, nodes: [{ name: "a", underlayIp: "192.168.77.10" }, { name: "b", underlayIp: "192.168.77.11" }] });
const intent = nodeIntent(spec, allocate(spec), "a");

describe("where an agent may probe", () => {
  it("allows the pod CIDR, a peer's underlay address, its own addresses and its bridges' networks", () => {
    const s = fixtureSnapshot();
    expect(probeRefusal("10.244.7.9", s, intent)).toBeUndefined();
    expect(probeRefusal("192.168.77.11", s, intent)).toBeUndefined();
    expect(probeRefusal("192.168.77.10", s, undefined)).toBeUndefined();
    expect(probeRefusal("10.244.1.200", s, undefined)).toBeUndefined(); // on cni0's 10.244.1.0/24
  });

  it("refuses anything else, and says what it would allow", () => {
    const s = fixtureSnapshot();
    expect(probeRefusal("8.8.8.8", s, intent)).toMatch(/^8\.8\.8\.8 is outside the fleet .*pod CIDR 10\.244\.0\.0\/16/);
    expect(probeRefusal("10.244.7.9", s, undefined)).toMatch(/outside the fleet/);
  });

  it("allows, without any intent, the networks a fabric someone else built routes to (flannel's onlink routes, hand-made host-gw), never what only the default route leads to", () => {
    const s = fixtureSnapshot();
    const host = s.namespaces.find((n) => n.kind === "host")!.id;
    const route = (dst: string, extra: Partial<Route>): Route => ({ netns: host, family: 4, table: "main", type: "unicast", dst, protocol: "boot", scope: "global", flags: [], ...extra });
    const flannel = { ...s, links: [...s.links, { ...s.links[0]!, name: "flannel.1", kind: "vxlan" as const, ifindex: 999 }], routes: [...s.routes, route("10.244.2.0/24", { via: "10.244.2.0", dev: "flannel.1", flags: ["onlink"] }), route("0.0.0.0/0", { via: "192.168.77.1", dev: "eth0" })] };
    expect(probeRefusal("10.244.2.7", flannel, undefined)).toBeUndefined();
    expect(probeRefusal("8.8.8.8", flannel, undefined)).toMatch(/outside the fleet/);
    const hostGw = { ...s, routes: [...s.routes, route("10.244.3.0/24", { via: "192.168.77.12", dev: "eth0" })] };
    expect(probeRefusal("10.244.3.9", hostGw, undefined)).toBeUndefined();
    expect(probeRefusal("192.168.77.12", hostGw, undefined)).toBeUndefined();
    expect(probeRefusal("10.244.4.9", hostGw, undefined)).toMatch(/outside the fleet/);
  });
});
