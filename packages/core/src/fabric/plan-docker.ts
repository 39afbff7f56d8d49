import type { DockerNetwork } from "../model/docker-network.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { cidrsOverlap, normalizeCidr } from "../net/cidr.js";
import type { DockerNetworkIntent } from "./docker-intent.js";
import { DOCKER_DEFAULT_BRIDGE } from "./docker-spec.js";
import type { NodeIntent } from "./node-intent.js";
import type { Op } from "./ops.js";
import { NETATLAS_DOCKER_LABEL, NETATLAS_DOCKER_NFT_TABLE } from "./owned.js";

const ipv4Subnet = (n: DockerNetwork) => n.subnets.find((s) => !s.subnet.includes(":"));

/** What differs between a network as dockerd has it and as it should be; empty when it matches. */
function differences(have: DockerNetwork, want: DockerNetworkIntent): string[] {
  const subnet = ipv4Subnet(have);
  const out: string[] = [];
  if (have.driver !== "bridge") out.push(`driver ${have.driver} (should be bridge)`);
  if (!subnet || normalizeCidr(subnet.subnet) !== want.subnet) out.push(`subnet ${subnet?.subnet ?? "none"} (should be ${want.subnet})`);
  else if (subnet.gateway !== want.gateway) out.push(`gateway ${subnet.gateway ?? "none"} (should be ${want.gateway})`);
  // Docker's defaults when an option was not given: MTU 1500, masquerade and ICC on.
  if ((have.mtu ?? 1500) !== want.mtu) out.push(`MTU ${have.mtu ?? 1500} (should be ${want.mtu})`);
  if ((have.masquerade ?? true) !== want.masquerade) out.push(`masquerade ${have.masquerade ?? true ? "on" : "off"} (should be ${want.masquerade ? "on" : "off"})`);
  if ((have.icc ?? true) !== want.icc) out.push(`ICC ${have.icc ?? true ? "on" : "off"} (should be ${want.icc ? "on" : "off"})`);
  return out;
}

/** Every container attached to a network: its endpoints (running) and containers configured on it (stopped ones too). */
function attached(snapshot: NodeSnapshot, network: DockerNetwork): Array<{ id: string; name: string; state: string }> {
  const ids = new Set(network.endpoints.map((e) => e.containerId));
  const found = snapshot.containers.filter((c) => ids.has(c.id) || c.endpoints.some((e) => e.network === network.name));
  const known = new Set(found.map((c) => c.id));
  const unknown = network.endpoints.filter((e) => !known.has(e.containerId)).map((e) => ({ id: e.containerId, name: e.name, state: "unknown" }));
  return [...found.map((c) => ({ id: c.id, name: c.name, state: c.state })), ...unknown].sort((a, b) => a.name.localeCompare(b.name));
}

/** Address ranges on the host that a new Docker subnet must not overlap: other Docker networks and the host's own connected subnets. */
function clashOf(snapshot: NodeSnapshot, host: number, want: DockerNetworkIntent, self?: DockerNetwork): string | undefined {
  const bridgeOfSelf = self?.bridge;
  for (const n of snapshot.dockerNetworks) {
    if (n === self || n.driver !== "bridge") continue;
    const s = ipv4Subnet(n);
    if (s && cidrsOverlap(s.subnet, want.subnet)) return `Docker network ${n.name} (${s.subnet})`;
  }
  for (const a of snapshot.addresses) {
    if (a.netns !== host || a.family !== 4 || a.scope !== "global" || a.ifname === bridgeOfSelf || a.prefixLength === 32) continue;
    if (cidrsOverlap(`${a.address}/${a.prefixLength}`, want.subnet)) return `${a.ifname}'s ${a.address}/${a.prefixLength}`;
  }
  return undefined;
}

/** docker0 (Docker's `bridge` network) overlapping what the fleet routes: netatlas says how to move it, never rewrites daemon.json. */
function docker0Clash(snapshot: NodeSnapshot, intent: NodeIntent, conflicts: string[]): void {
  const docker0 = snapshot.dockerNetworks.find((n) => n.name === "bridge" && n.driver === "bridge");
  const subnet = docker0 && ipv4Subnet(docker0)?.subnet;
  if (!subnet) return;
  const fleet = [
    ...(intent.podCidr ? [{ cidr: intent.podCidr, what: `the pod CIDR ${intent.podCidr}` }] : []),
    ...(intent.docker?.networks ?? []).map((n) => ({ cidr: n.subnet, what: `Docker network ${n.name}'s ${n.subnet}` })),
    ...(intent.docker?.routes ?? []).map((r) => ({ cidr: r.dst, what: `another host's Docker subnet ${r.dst}` })),
  ];
  const hit = fleet.find((f) => cidrsOverlap(subnet, f.cidr));
  if (!hit) return;
  conflicts.push(
    `docker0 (${subnet}) overlaps ${hit.what}; move it with "bip" in /etc/docker/daemon.json (for example "bip": "172.17.0.1/16", Docker's default ${DOCKER_DEFAULT_BRIDGE}, if that is free) and restart dockerd; netatlas does not rewrite the daemon's config`,
  );
}

/** netatlas's masquerade for routed Docker networks: one rule per source, to anything outside the fleet's Docker range. */
function planDockerNat(intent: NodeIntent, snapshot: NodeSnapshot, host: number, ops: Op[]): void {
  const rules = snapshot.nat.filter((r) => r.netns === host && r.table === NETATLAS_DOCKER_NFT_TABLE);
  const want = intent.docker?.nat;
  if (!want) {
    if (rules.length) ops.push({ op: "del-docker-masquerade", reason: "no routed Docker network of this host masquerades any more" });
    return;
  }
  const has = (source: string) =>
    rules.some((r) => r.action === "masquerade" && r.matches.some((m) => m.field === "ip saddr" && m.op === "==" && m.value === source) && r.matches.some((m) => m.field === "ip daddr" && m.op === "!=" && m.value === want.except));
  if (rules.length !== want.sources.length || !want.sources.every(has)) {
    ops.push({ op: "set-docker-masquerade", sources: want.sources, except: want.except, reason: `containers leaving ${want.sources.join(", ")} for outside the fleet's Docker range ${want.except} need the host's address; inside it they keep their own` });
  }
}

const isDockerHost = (snapshot: NodeSnapshot) => snapshot.dockerNetworks.some((n) => n.name === "none" || n.name === "host");

/**
 * The Docker networks of the intent against dockerd's: create what is missing,
 * recreate what differs while nothing is attached, and when containers are
 * attached one disruptive op that names them (refused unless allowed). Networks
 * netatlas made (its label) and the spec dropped are removed when empty.
 */
export function planDocker(intent: NodeIntent, snapshot: NodeSnapshot, host: number, ops: Op[], conflicts: string[]): void {
  docker0Clash(snapshot, intent, conflicts);
  planDockerNat(intent, snapshot, host, ops);
  const wanted = intent.docker?.networks ?? [];
  if (!isDockerHost(snapshot)) {
    if (wanted.length) conflicts.push(`no Docker daemon answered on ${snapshot.node} (no "host" or "none" network read); Docker networks ${wanted.map((w) => w.name).join(", ")} not planned`);
    return;
  }
  for (const want of wanted) {
    const have = snapshot.dockerNetworks.find((n) => n.name === want.name);
    const diff = have ? differences(have, want) : [];
    if (have && diff.length === 0) continue;
    const clash = clashOf(snapshot, host, want, have);
    if (clash) {
      conflicts.push(`Docker network ${want.name} should have ${want.subnet}, which overlaps ${clash} on ${snapshot.node}; not ${have ? "changed" : "created"}`);
      continue;
    }
    const settings = { name: want.name, subnet: want.subnet, gateway: want.gateway, mtu: want.mtu, masquerade: want.masquerade, icc: want.icc };
    if (!have) {
      ops.push({ op: "docker-network-create", ...settings, reason: `every Docker host of the fleet has network ${want.name}; this host's subnet is ${want.subnet}` });
      continue;
    }
    const containers = attached(snapshot, have);
    if (containers.length === 0) {
      ops.push({ op: "docker-network-remove", name: have.name, id: have.id, reason: `${want.name} differs: ${diff.join(", ")}; nothing is attached, so it is made again` });
      ops.push({ op: "docker-network-create", ...settings, reason: `${want.name} made again with ${diff.join(", ")} fixed` });
    } else {
      ops.push({ op: "docker-network-replace", id: have.id, ...settings, containers, disruptive: true, reason: `${want.name} differs: ${diff.join(", ")}; changing it disconnects ${containers.map((c) => `${c.name} (${c.state})`).join(", ")}` });
    }
  }
  for (const n of snapshot.dockerNetworks) {
    if (n.labels?.[NETATLAS_DOCKER_LABEL] !== "true" || wanted.some((w) => w.name === n.name)) continue;
    const containers = attached(snapshot, n);
    if (containers.length) conflicts.push(`Docker network ${n.name} is netatlas's and no longer in the spec, but ${containers.map((c) => c.name).join(", ")} ${containers.length === 1 ? "is" : "are"} attached; not removed`);
    else ops.push({ op: "docker-network-remove", name: n.name, id: n.id, reason: `the fleet spec no longer has Docker network ${n.name}` });
  }
}

/** The Docker state a plan depends on, canonical: a change to it outdates the plan. */
export function dockerBasis(snapshot: NodeSnapshot, host: number): string[] {
  return snapshot.dockerNetworks
    .map((n) => JSON.stringify([n.name, n.id, n.driver, n.subnets, n.options, n.labels ?? {}, n.endpoints.map((e) => e.containerId).sort()]))
    .concat(snapshot.containers.filter((c) => c.runtime === "docker").map((c) => JSON.stringify([c.id, c.state, c.endpoints.map((e) => e.network).sort()])))
    .concat(snapshot.nat.filter((r) => r.netns === host && r.table === NETATLAS_DOCKER_NFT_TABLE).map((r) => r.text))
    .sort();
}
