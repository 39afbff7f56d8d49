import { z } from "zod";
import { NETATLAS_DOCKER_NFT_TABLE } from "./owned.js";
import { lazySchema } from "../model/lazy-schema.js";
import { InterfaceName, WritableInterfaceName } from "../model/names.js";

const reason = lazySchema(() => z.string());
/** What a Docker bridge network is made with (see docker-ops.ts). */
const dockerNetwork = { name: z.string(), subnet: z.string(), gateway: z.string(), mtu: z.number().int(), masquerade: z.boolean(), icc: z.boolean() };

/**
 * One change to a node, as data: rendered to `ip -batch` lines or an nft script by
 * @netatlas/linux. A name an op adds or changes comes from an intent and must be
 * one iproute2's batch syntax carries (WritableInterfaceName); a removal names
 * what the kernel has, as it has it, and the renderer refuses one it cannot carry.
 */
export const Op = lazySchema(() =>
  z.discriminatedUnion("op", [
    z.object({ op: z.literal("del-route"), dst: z.string(), via: z.string().optional(), dev: InterfaceName.optional(), reason }),
    z.object({ op: z.literal("del-neigh"), address: z.string(), dev: InterfaceName, reason }),
    z.object({ op: z.literal("del-fdb"), mac: z.string(), dev: InterfaceName, dst: z.string().optional(), reason }),
    z.object({ op: z.literal("del-link"), name: InterfaceName, reason }),
    z.object({ op: z.literal("add-bridge"), name: WritableInterfaceName, mtu: z.number().int(), reason }),
    z.object({ op: z.literal("add-vxlan"), name: WritableInterfaceName, vni: z.number().int(), port: z.number().int(), local: z.string(), dev: WritableInterfaceName, mtu: z.number().int(), mac: z.string(), reason }),
    z.object({ op: z.literal("set-mtu"), name: WritableInterfaceName, mtu: z.number().int(), reason }),
    z.object({ op: z.literal("add-address"), dev: WritableInterfaceName, cidr: z.string(), reason }),
    z.object({ op: z.literal("set-up"), name: WritableInterfaceName, reason }),
    z.object({ op: z.literal("replace-neigh"), address: z.string(), lladdr: z.string(), dev: WritableInterfaceName, reason }),
    z.object({ op: z.literal("add-fdb"), mac: z.string(), dev: WritableInterfaceName, dst: z.string(), reason }),
    z.object({ op: z.literal("replace-route"), dst: z.string(), via: z.string(), dev: WritableInterfaceName, onlink: z.boolean(), reason }),
    z.object({ op: z.literal("set-masquerade"), source: z.string(), reason }),
    z.object({ op: z.literal("del-masquerade"), reason }),
    z.object({ op: z.literal("set-docker-masquerade"), sources: z.array(z.string()), except: z.string(), reason }),
    z.object({ op: z.literal("del-docker-masquerade"), reason }),
    z.object({ op: z.literal("docker-network-remove"), name: z.string(), id: z.string(), reason }),
    z.object({ op: z.literal("docker-network-create"), ...dockerNetwork, reason }),
    /**
     * Remove and create again a network that containers are attached to: they are
     * disconnected and connected again with new addresses. Applied only when the
     * apply request allows disruptive ops.
     */
    z.object({ op: z.literal("docker-network-replace"), id: z.string(), ...dockerNetwork, containers: z.array(z.object({ id: z.string(), name: z.string(), state: z.string() })), disruptive: z.literal(true), reason }),
  ]),
);
export type Op = z.infer<typeof Op>;

/** What became of one op when a plan ran. */
export const OpResult = lazySchema(() => z.object({ op: Op, status: z.enum(["applied", "failed", "skipped"]), error: z.string().optional() }));
export type OpResult = z.infer<typeof OpResult>;

/** Phases run in this order: removals first, then links before what hangs on them, NAT last. */
const PHASE: Record<Op["op"], number> = {
  "del-route": 0,
  "del-neigh": 1,
  "del-fdb": 1,
  "del-link": 2,
  "docker-network-remove": 2,
  "add-bridge": 3,
  "add-vxlan": 3,
  "docker-network-create": 3,
  "docker-network-replace": 3,
  "set-mtu": 4,
  "add-address": 5,
  "set-up": 6,
  "replace-neigh": 7,
  "add-fdb": 8,
  "replace-route": 9,
  "set-masquerade": 10,
  "del-masquerade": 10,
  "set-docker-masquerade": 10,
  "del-docker-masquerade": 10,
};

function opKey(op: Op): string {
  const { reason: _reason, ...rest } = op;
  return JSON.stringify(rest);
}

/** The stable order of a plan: by phase, then by the op's own content. */
export function orderOps(ops: Op[]): Op[] {
  return [...ops].sort((a, b) => PHASE[a.op] - PHASE[b.op] || opKey(a).localeCompare(opKey(b)));
}

/** Ops that would cut running containers off: never applied without an explicit, reviewed allowance. */
export function isDisruptive(op: Op): op is Extract<Op, { disruptive: true }> {
  return "disruptive" in op && op.disruptive === true;
}

/** One line a person reads: the op as `ip` (or `docker`, `nft`) would say it. */
export function describeOp(op: Op): string {
  switch (op.op) {
    case "docker-network-remove":
      return `docker network rm ${op.name}`;
    case "set-docker-masquerade":
      return `nft: masquerade ${op.sources.join(", ")} -> outside ${op.except} (table ip ${NETATLAS_DOCKER_NFT_TABLE})`;
    case "del-docker-masquerade":
      return `nft delete table ip ${NETATLAS_DOCKER_NFT_TABLE}`;
    case "docker-network-create":
      return describeDockerCreate(op);
    case "docker-network-replace":
      return `DISRUPTIVE: docker network disconnect --force ${op.name} ${op.containers.map((c) => c.name).join(" ")}; docker network rm ${op.name}; ${describeDockerCreate(op)}; docker network connect ${op.name} (each container again, with a new address)`;
    case "del-route":
      return `ip route del ${op.dst}${op.via ? ` via ${op.via}` : ""}${op.dev ? ` dev ${op.dev}` : ""}`;
    case "del-neigh":
      return `ip neigh del ${op.address} dev ${op.dev}`;
    case "del-fdb":
      return `bridge fdb del ${op.mac} dev ${op.dev}${op.dst ? ` dst ${op.dst}` : ""}`;
    case "del-link":
      return `ip link del ${op.name}`;
    case "add-bridge":
      return `ip link add ${op.name} type bridge mtu ${op.mtu}`;
    case "add-vxlan":
      return `ip link add ${op.name} type vxlan id ${op.vni} dstport ${op.port} local ${op.local} dev ${op.dev} nolearning mtu ${op.mtu} address ${op.mac}`;
    case "set-mtu":
      return `ip link set ${op.name} mtu ${op.mtu}`;
    case "add-address":
      return `ip addr add ${op.cidr} dev ${op.dev}`;
    case "set-up":
      return `ip link set ${op.name} up`;
    case "replace-neigh":
      return `ip neigh replace ${op.address} lladdr ${op.lladdr} dev ${op.dev} nud permanent`;
    case "add-fdb":
      return `bridge fdb append ${op.mac} dev ${op.dev} dst ${op.dst} self permanent`;
    case "replace-route":
      return `ip route replace ${op.dst} via ${op.via} dev ${op.dev}${op.onlink ? " onlink" : ""}`;
    case "set-masquerade":
      return `nft: masquerade ${op.source} -> outside ${op.source} (table ip netatlas)`;
    case "del-masquerade":
      return "nft delete table ip netatlas";
  }
}

function describeDockerCreate(op: { name: string; subnet: string; gateway: string; mtu: number; masquerade: boolean; icc: boolean }): string {
  const opts = dockerNetworkOptions(op);
  return `docker network create --driver bridge --subnet ${op.subnet} --gateway ${op.gateway} ${Object.entries(opts).map(([k, v]) => `--opt ${k}=${v}`).join(" ")} ${op.name}`;
}

/** The bridge driver options a netatlas network is created with: all set, so a read-back shows each. */
export function dockerNetworkOptions(n: { mtu: number; masquerade: boolean; icc: boolean }): Record<string, string> {
  return {
    "com.docker.network.driver.mtu": String(n.mtu),
    "com.docker.network.bridge.enable_ip_masquerade": String(n.masquerade),
    "com.docker.network.bridge.enable_icc": String(n.icc),
  };
}
