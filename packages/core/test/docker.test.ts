import { describe, expect, it } from "vitest";
import { dockerFromEngine } from "../src/index.js";

const network = (options: Record<string, string>, driver = "bridge") => ({
  Id: "5c3902ca2e0008d309b53e72a0121bea69b911e2f066579f90d4c64f0a0f16d4",
  Name: "labnet",
  Driver: driver,
  IPAM: { Config: [{ Subnet: "172.30.0.0/24" }] },
  Options: options,
  Containers: {},
});

describe("dockerFromEngine networks", () => {
  it("takes a user-defined bridge without options as Docker runs it: br-<id12>, masquerade and ICC on", () => {
    const [net] = dockerFromEngine([], [network({})], []).networks;
    expect(net).toMatchObject({ bridge: "br-5c3902ca2e00", masquerade: true, icc: true, mtu: undefined, subnets: [{ subnet: "172.30.0.0/24" }] });
  });

  it("follows the options a bridge network was created with", () => {
    const options = { "com.docker.network.bridge.name": "labnet0", "com.docker.network.bridge.enable_ip_masquerade": "false", "com.docker.network.driver.mtu": "1450" };
    const [net] = dockerFromEngine([], [network(options)], []).networks;
    expect(net).toMatchObject({ bridge: "labnet0", masquerade: false, icc: true, mtu: 1450 });
  });

  it("says nothing of masquerade or a bridge for networks of other drivers", () => {
    const [net] = dockerFromEngine([], [network({}, "null")], []).networks;
    expect(net).toMatchObject({ bridge: undefined, masquerade: undefined, icc: undefined });
  });
});

describe("dockerFromEngine containers", () => {
  const netns = { id: 4026532256, kind: "docker" as const, names: ["ee13d7fe4a6c"], paths: ["/var/run/docker/netns/ee13d7fe4a6c"], processes: [] };
  const container = (sandboxKey: string) => ({
    Id: "880913d34aca",
    Name: "/pause",
    State: { Status: "running", Pid: 218 },
    HostConfig: { NetworkMode: "labnet" },
    NetworkSettings: { SandboxKey: sandboxKey, Networks: { labnet: { IPAddress: "172.30.0.2" } } },
  });

  it("finds a container's namespace by its sandbox file when its PID is not among the agent's, under either spelling of /run", () => {
    for (const key of ["/var/run/docker/netns/ee13d7fe4a6c", "/run/docker/netns/ee13d7fe4a6c"]) {
      expect(dockerFromEngine([container(key)], [], [netns]).containers[0]?.netns).toBe(netns.id);
    }
    expect(dockerFromEngine([container("/run/docker/netns/other")], [], [netns]).containers[0]?.netns).toBeUndefined();
  });
});
