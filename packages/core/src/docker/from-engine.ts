import type { Container } from "../model/container.js";
import type { DockerNetwork } from "../model/docker-network.js";
import type { Netns } from "../model/netns.js";
import { ContainerInspectJson, NetworkInspectJson } from "./engine-json.js";

const BRIDGE_NAME = "com.docker.network.bridge.name";

/**
 * A bridge network's on/off option. Docker shows only the options it was created
 * with: an absent masquerade or ICC option on a bridge network means the bridge
 * driver's default, which is on (and dockerd writes the MASQUERADE rule).
 */
function flag(options: Record<string, string>, key: string, driver: string): boolean | undefined {
  if (options[key] !== undefined) return options[key] === "true";
  return driver === "bridge" ? true : undefined;
}

function networkOf(raw: NetworkInspectJson): DockerNetwork {
  const options = raw.Options ?? {};
  const mtu = Number(options["com.docker.network.driver.mtu"]);
  return {
    id: raw.Id,
    name: raw.Name,
    driver: raw.Driver,
    scope: raw.Scope,
    internal: raw.Internal,
    subnets: (raw.IPAM.Config ?? []).filter((c) => c.Subnet).map((c) => ({ subnet: c.Subnet as string, gateway: c.Gateway })),
    // dockerd names a user-defined bridge br-<first 12 of the id> unless told otherwise.
    bridge: raw.Driver === "bridge" ? (options[BRIDGE_NAME] ?? `br-${raw.Id.slice(0, 12)}`) : undefined,
    masquerade: flag(options, "com.docker.network.bridge.enable_ip_masquerade", raw.Driver),
    icc: flag(options, "com.docker.network.bridge.enable_icc", raw.Driver),
    mtu: Number.isFinite(mtu) && mtu > 0 ? mtu : undefined,
    options,
    ...(raw.Labels && Object.keys(raw.Labels).length ? { labels: raw.Labels } : {}),
    endpoints: Object.entries(raw.Containers ?? {}).map(([containerId, c]) => ({ containerId, name: c.Name, ipv4: c.IPv4Address?.split("/")[0], mac: c.MacAddress })),
  };
}

/** /var/run is a link to /run: dockerd names its netns files with the spelling of its --exec-root, the agent with its own. */
const runPath = (path: string) => path.replace(/^\/var\/run\//, "/run/");

function containerOf(raw: ContainerInspectJson, namespaces: readonly Netns[]): Container {
  const pid = raw.State.Pid ?? 0;
  const sandbox = raw.NetworkSettings.SandboxKey ? runPath(raw.NetworkSettings.SandboxKey) : undefined;
  // A running container's PID names its namespace (when the agent sees dockerd's PIDs); else its sandbox
  // file does. `container:` joiners have no sandbox of their own.
  const ns = namespaces.find((n) => (pid > 0 && n.processes.some((p) => p.pid === pid)) || (sandbox && n.paths.some((p) => runPath(p) === sandbox)));
  const ports = Object.entries(raw.NetworkSettings.Ports ?? {}).flatMap(([spec, bindings]) => {
    const [port, protocol] = spec.split("/");
    return (bindings ?? []).map((b) => ({ hostIp: b.HostIp || undefined, hostPort: Number(b.HostPort), containerPort: Number(port), protocol: protocol ?? "tcp" }));
  });
  return {
    id: raw.Id,
    name: raw.Name.replace(/^\//, ""),
    runtime: "docker",
    image: raw.Config.Image,
    state: raw.State.Status ?? "unknown",
    pid: pid || undefined,
    netns: ns?.id,
    networkMode: raw.HostConfig.NetworkMode === "default" ? "bridge" : (raw.HostConfig.NetworkMode ?? "bridge"),
    endpoints: Object.entries(raw.NetworkSettings.Networks ?? {}).map(([network, e]) => ({ network, ipv4: e.IPAddress || undefined, ipv6: e.GlobalIPv6Address || undefined, mac: e.MacAddress || undefined, gateway: e.Gateway || undefined })),
    ports,
  };
}

/**
 * Docker's view joined to the kernel's: containers with the namespace they run in
 * (by PID or sandbox key), networks with their bridge, IPAM and options. Malformed
 * answers are skipped with a warning that names them.
 */
export function dockerFromEngine(containers: readonly unknown[], networks: readonly unknown[], namespaces: readonly Netns[]): { containers: Container[]; networks: DockerNetwork[]; warnings: string[] } {
  const warnings: string[] = [];
  const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, raw: unknown, what: string): T[] => {
    const r = schema.safeParse(raw);
    if (r.success) return [r.data];
    warnings.push(`docker ${what} skipped: ${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message}`);
    return [];
  };
  return {
    containers: containers.flatMap((c) => parse(ContainerInspectJson, c, "container")).map((c) => containerOf(c, namespaces)),
    networks: networks.flatMap((n) => parse(NetworkInspectJson, n, "network")).map(networkOf),
    warnings,
  };
}
