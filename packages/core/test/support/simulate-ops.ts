import type { Link, NodeSnapshot, Op } from "../../src/index.js";
import { dockerNetworkOptions, NETATLAS_DOCKER_LABEL, NETATLAS_DOCKER_NFT_TABLE, NETATLAS_LINK_ALIAS, NETATLAS_NFT_TABLE, NETATLAS_ROUTE_PROTOCOL, normalizeCidr } from "../../src/index.js";

/**
 * What the kernel does with each op, as data: a model for property tests of the
 * planner ("after an apply, the plan is empty"). The real kernel is tested in
 * @netatlas/linux and the agent.
 */
export function simulateOps(snapshot: NodeSnapshot, ops: Op[]): NodeSnapshot {
  const s: NodeSnapshot = structuredClone(snapshot);
  const host = s.namespaces.find((n) => n.kind === "host")!.id;
  const link = (name: string) => s.links.find((l) => l.netns === host && l.name === name);
  const addLink = (l: Omit<Link, "netns" | "ifindex">) => s.links.push({ ...l, netns: host, ifindex: Math.max(0, ...s.links.map((x) => x.ifindex)) + 1 });
  for (const op of ops) {
    switch (op.op) {
      case "del-route":
        s.routes = s.routes.filter((r) => !(r.netns === host && r.table === "main" && r.dst === normalizeCidr(op.dst) && r.protocol === NETATLAS_ROUTE_PROTOCOL));
        break;
      case "del-neigh":
        s.neighbors = s.neighbors.filter((n) => !(n.netns === host && n.dev === op.dev && n.address === op.address));
        break;
      case "del-fdb":
        s.fdb = s.fdb.filter((f) => !(f.netns === host && f.dev === op.dev && f.mac === op.mac && f.dst === op.dst));
        break;
      case "del-link":
        s.links = s.links.filter((l) => !(l.netns === host && l.name === op.name));
        s.routes = s.routes.filter((r) => !(r.netns === host && r.dev === op.name));
        s.neighbors = s.neighbors.filter((n) => !(n.netns === host && n.dev === op.name));
        s.fdb = s.fdb.filter((f) => !(f.netns === host && f.dev === op.name));
        s.addresses = s.addresses.filter((a) => !(a.netns === host && a.ifname === op.name));
        break;
      case "add-bridge":
        addLink({ name: op.name, kind: "bridge", mtu: op.mtu, state: "DOWN", flags: [], alias: NETATLAS_LINK_ALIAS });
        break;
      case "add-vxlan":
        addLink({ name: op.name, kind: "vxlan", mtu: op.mtu, state: "DOWN", flags: [], alias: NETATLAS_LINK_ALIAS, mac: op.mac, vxlan: { vni: op.vni, port: op.port, local: op.local, device: op.dev, learning: false } });
        break;
      case "set-mtu":
        link(op.name)!.mtu = op.mtu;
        break;
      case "add-address": {
        const [address, len] = op.cidr.split("/");
        s.addresses.push({ netns: host, ifindex: link(op.dev)!.ifindex, ifname: op.dev, family: 4, address: address!, prefixLength: Number(len), scope: "global" });
        break;
      }
      case "set-up":
        link(op.name)!.flags.push("UP");
        link(op.name)!.state = "UNKNOWN";
        break;
      case "replace-neigh":
        s.neighbors = s.neighbors.filter((n) => !(n.netns === host && n.dev === op.dev && n.address === op.address));
        s.neighbors.push({ netns: host, family: 4, address: op.address, dev: op.dev, lladdr: op.lladdr, state: ["PERMANENT"], router: false });
        break;
      case "add-fdb":
        s.fdb.push({ netns: host, mac: op.mac, dev: op.dev, dst: op.dst, state: "permanent", flags: ["self"] });
        break;
      case "replace-route":
        s.routes = s.routes.filter((r) => !(r.netns === host && r.table === "main" && r.dst === op.dst));
        s.routes.push({ netns: host, family: 4, table: "main", type: "unicast", dst: op.dst, via: op.via, dev: op.dev, protocol: NETATLAS_ROUTE_PROTOCOL, scope: "global", flags: op.onlink ? ["onlink"] : [] });
        break;
      case "set-masquerade":
        s.nat = s.nat.filter((r) => !(r.netns === host && r.table === NETATLAS_NFT_TABLE));
        s.nat.push({ netns: host, family: "ip", table: NETATLAS_NFT_TABLE, chain: "postrouting", hook: "postrouting", action: "masquerade", matches: [{ field: "ip saddr", op: "==", value: op.source }, { field: "ip daddr", op: "!=", value: op.source }], text: "", partial: false });
        break;
      case "del-masquerade":
        s.nat = s.nat.filter((r) => !(r.netns === host && r.table === NETATLAS_NFT_TABLE));
        break;
      case "set-docker-masquerade":
        s.nat = s.nat.filter((r) => !(r.netns === host && r.table === NETATLAS_DOCKER_NFT_TABLE));
        for (const source of op.sources) {
          s.nat.push({ netns: host, family: "ip", table: NETATLAS_DOCKER_NFT_TABLE, chain: "postrouting", hook: "postrouting", action: "masquerade", matches: [{ field: "ip saddr", op: "==", value: source }, { field: "ip daddr", op: "!=", value: op.except }], text: "", partial: false });
        }
        break;
      case "del-docker-masquerade":
        s.nat = s.nat.filter((r) => !(r.netns === host && r.table === NETATLAS_DOCKER_NFT_TABLE));
        break;
      case "docker-network-remove":
        s.dockerNetworks = s.dockerNetworks.filter((n) => n.id !== op.id);
        break;
      case "docker-network-create":
      case "docker-network-replace": {
        const id = `${op.name}-${s.dockerNetworks.length}`.padEnd(64, "0");
        const kept = op.op === "docker-network-replace" ? s.dockerNetworks.find((n) => n.id === op.id)?.endpoints ?? [] : [];
        s.dockerNetworks = s.dockerNetworks.filter((n) => n.name !== op.name);
        s.dockerNetworks.push({
          id, name: op.name, driver: "bridge", scope: "local", internal: false, subnets: [{ subnet: op.subnet, gateway: op.gateway }], bridge: `br-${id.slice(0, 12)}`,
          mtu: op.mtu, masquerade: op.masquerade, icc: op.icc, options: dockerNetworkOptions(op), labels: { [NETATLAS_DOCKER_LABEL]: "true" }, endpoints: kept,
        });
        break;
      }
    }
  }
  return s;
}
