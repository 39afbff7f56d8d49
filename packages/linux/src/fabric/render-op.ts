import { NETATLAS_DOCKER_NFT_TABLE, NETATLAS_LINK_ALIAS, NETATLAS_NFT_TABLE, NETATLAS_ROUTE_PROTOCOL, type Op } from "@netatlas/core";

/** One command of an op: argv (never a shell) and what goes to its stdin. */
export interface Step {
  argv: string[];
  input?: string;
}

const ip = (...args: string[]): Step => ({ argv: ["ip", ...args] });

/** Replaces one of netatlas's nft tables in one transaction: `table` first so `delete` never fails on a fresh node. */
function masqueradeScript(table: string, rules: Array<{ source: string; except: string }>): string {
  return [
    `table ip ${table}`,
    `delete table ip ${table}`,
    `table ip ${table} {`,
    "  chain postrouting {",
    "    type nat hook postrouting priority srcnat; policy accept;",
    ...rules.map((r) => `    ip saddr ${r.source} ip daddr != ${r.except} counter masquerade`),
    "  }",
    "}",
    "",
  ].join("\n");
}

const deleteTable = (table: string): Step => ({ argv: ["nft", "-f", "-"], input: `table ip ${table}\ndelete table ip ${table}\n` });

/**
 * The commands that carry out one op in the current network namespace. What
 * netatlas makes carries its mark (route protocol, link alias, nft table), so a
 * later plan knows what it owns.
 */
export function renderOp(op: Op): Step[] {
  switch (op.op) {
    case "docker-network-create":
    case "docker-network-remove":
    case "docker-network-replace":
      throw new Error(`${op.op} is no command: it goes to dockerd's Engine API (applyDockerOp)`);
    case "del-route":
      return [ip("route", "del", op.dst, ...(op.via ? ["via", op.via] : []), ...(op.dev ? ["dev", op.dev] : []), "proto", NETATLAS_ROUTE_PROTOCOL)];
    case "del-neigh":
      return [ip("neigh", "del", op.address, "dev", op.dev)];
    case "del-fdb":
      return [{ argv: ["bridge", "fdb", "del", op.mac, "dev", op.dev, ...(op.dst ? ["dst", op.dst] : []), "self"] }];
    case "del-link":
      return [ip("link", "del", op.name)];
    case "add-bridge":
      return [ip("link", "add", op.name, "mtu", String(op.mtu), "type", "bridge"), ip("link", "set", op.name, "alias", NETATLAS_LINK_ALIAS)];
    case "add-vxlan":
      return [
        ip("link", "add", op.name, "mtu", String(op.mtu), "address", op.mac, "type", "vxlan", "id", String(op.vni), "dstport", String(op.port), "local", op.local, "dev", op.dev, "nolearning"),
        ip("link", "set", op.name, "alias", NETATLAS_LINK_ALIAS),
      ];
    case "set-mtu":
      return [ip("link", "set", op.name, "mtu", String(op.mtu))];
    case "add-address":
      return [ip("addr", "replace", op.cidr, "dev", op.dev)];
    case "set-up":
      return [ip("link", "set", op.name, "up")];
    case "replace-neigh":
      return [ip("neigh", "replace", op.address, "lladdr", op.lladdr, "dev", op.dev, "nud", "permanent")];
    case "add-fdb":
      return [{ argv: ["bridge", "fdb", "append", op.mac, "dev", op.dev, "dst", op.dst, "self", "permanent"] }];
    case "replace-route":
      return [ip("route", "replace", op.dst, "via", op.via, "dev", op.dev, ...(op.onlink ? ["onlink"] : []), "proto", NETATLAS_ROUTE_PROTOCOL)];
    case "set-masquerade":
      return [{ argv: ["nft", "-f", "-"], input: masqueradeScript(NETATLAS_NFT_TABLE, [{ source: op.source, except: op.source }]) }];
    case "del-masquerade":
      return [deleteTable(NETATLAS_NFT_TABLE)];
    case "set-docker-masquerade":
      return [{ argv: ["nft", "-f", "-"], input: masqueradeScript(NETATLAS_DOCKER_NFT_TABLE, op.sources.map((source) => ({ source, except: op.except }))) }];
    case "del-docker-masquerade":
      return [deleteTable(NETATLAS_DOCKER_NFT_TABLE)];
  }
}
