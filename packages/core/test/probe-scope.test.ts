import { describe, expect, it } from "vitest";
import { allocate, FleetSpec, nodeIntent, probeRefusal } from "../src/index.js";
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
});
