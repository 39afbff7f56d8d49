import type { FabricContext, FabricNode } from "../fabric/delivery/fabric-context.js";
import type { OwnedSubnet } from "../fabric/delivery/owned-subnets.js";
import type { Address } from "../model/address.js";
import type { ReachabilityEndpoint } from "../model/reachability.js";
import type { Route } from "../model/route.js";
import type { TraceProtocol } from "../model/trace.js";
import { ipFamily } from "../net/cidr.js";
import { Interner, Memo } from "./interner.js";
import { NatDecisions } from "./nat-decisions.js";

/**
 * A pair's round trip cut where it crosses between the nodes: what the sender
 * does (its pod's route, its bridge, its route and NAT for the destination,
 * the device and underlay route it leaves by), what the receiver does with what
 * arrives (the device it comes in on, its reverse-path check), and the same two
 * for the reply. Each part is numbered by one end's own decisions and devices,
 * and names how the other end is reached only by its shape (into the VXLAN
 * device towards the owner's VTEP, via the owner's underlay address), so that
 * pairs whose ends decide alike have equal parts.
 */
export interface RoundTripParts {
  send: number;
  receive: number;
  replySend: number;
  replyReceive: number;
}

/** How one host namespace sends to another node's address, up to where it arrives there. */
interface Leg {
  /** The sender's side of it: way, device, underlay route, outer NAT. */
  shape: number;
  out: string;
  /** The sender's route for the destination: what its reverse-path check finds for a packet from there. */
  route: Route;
  nextHop: string;
  /** The receiver's device the packets arrive on, and the one its reverse-path check compares with (the VXLAN device for VXLAN). */
  arrival: string;
  inbound: string;
  /** How it is carried (the way, and for VXLAN the outer packet's DF setting): what the receiver's devices see of the sender. */
  carriage: string;
}

/** What one node does with its endpoint's packets for one destination subnet (or address): its pod's route, the bridge they come up on, the fabric leg. */
interface Side {
  podRoute: Route;
  iif: string;
  leg: Leg;
  /** All of it as one number. */
  shape: number;
}

export class RoundTrips {
  private readonly parts = new Interner();
  private readonly nat = new NatDecisions();
  private readonly owners = new Map<string, OwnedSubnet | null>();
  private readonly sides = new Map<FabricNode, Map<OwnedSubnet | string, Side | null>>();
  private readonly hostSides = new Memo<string | undefined>();
  private readonly sources = new Map<FabricNode, Map<string, Address[]>>();
  private readonly inward = new Map<FabricNode, string | null>();

  constructor(
    private readonly ctx: FabricContext,
    private readonly packet: { protocol: TraceProtocol; port?: number },
  ) {}

  private ownerOf(ip: string): OwnedSubnet | undefined {
    let owner = this.owners.get(ip);
    if (owner === undefined) this.owners.set(ip, (owner = this.ctx.owned.of(ip) ?? null));
    return owner ?? undefined;
  }

  /** The host-side interface a packet from the endpoint's namespace comes in on: the bridge its veth hangs on, or the veth. */
  private hostSide(node: FabricNode, endpoint: ReachabilityEndpoint, dev: string): string | undefined {
    return this.hostSides.get([node, endpoint.netns, dev], () => {
      const inside = node.index.links.named(endpoint.netns, dev);
      const peer = inside && node.index.links.peerOf(inside);
      return peer && (node.index.links.masterOf(peer)?.name ?? peer.name);
    });
  }

  /**
   * What `from` does with its endpoint's packets for `dst`, once per (node,
   * destination subnet): every address of a node's subnet is routed alike up to
   * its bridge. Shared by the pair's request and by the reply of the pair the
   * other way round.
   */
  private sideTo(from: FabricNode, endpoint: ReachabilityEndpoint, to: FabricNode, dst: string): Side | undefined {
    let known = this.sides.get(from);
    if (!known) this.sides.set(from, (known = new Map()));
    const subnet = this.ownerOf(dst);
    // A subnet has one owner and an address one node: the destination names `to` already.
    const key = subnet ?? dst;
    let side = known.get(key);
    if (side === undefined) {
      const podRoute = from.index.routesOf(endpoint.netns).lookup(dst)?.route;
      const iif = podRoute?.dev && this.hostSide(from, endpoint, podRoute.dev);
      const leg = subnet?.node === to.name ? this.fabricLeg(from, to, subnet, dst) : this.directLeg(from, to, dst);
      side = podRoute && iif && leg ? { podRoute, iif, leg, shape: this.parts.id(podRoute, iif, leg.shape) } : null;
      known.set(key, side);
    }
    return side ?? undefined;
  }

  /** Into another node's subnet: only over a delivery the fabric checks find clean. */
  private fabricLeg(from: FabricNode, to: FabricNode, subnet: OwnedSubnet, dst: string): Leg | undefined {
    const delivery = this.ctx.deliveryOf(from, subnet);
    const { route, out, way } = delivery;
    if (delivery.problems.length || delivery.reaches !== to.name || !route || !out || !way) return undefined;
    const routes = from.index.routesOf(from.host);
    if (way === "vxlan") {
      const [a, b] = [from.vxlan, to.vxlan];
      const target = to.vtepUnderlay;
      if (!a?.up || !b?.up || a.vni !== b.vni || a.port !== b.port || !target) return undefined;
      const outer = routes.lookup(target)?.route;
      const arrival = to.fabric.underlay.find((u) => u.ip === target)?.dev;
      const oif = outer?.dev;
      if (outer?.type !== "unicast" || !oif || !arrival) return undefined;
      const local = a.local ?? from.index.selectSource(from.host, a.lower ?? oif, ipFamily(target), target) ?? "";
      const nat = this.nat.postrouting(from.index, from.host, { src: local, dst: target, protocol: "udp", port: a.port, oif });
      const df = from.vxlanLink?.vxlan?.df ?? "unset";
      return { shape: this.parts.id("vxlan", out.name, outer, nat?.rule, df), out: out.name, route, nextHop: route.via ?? dst, arrival, inbound: b.dev, carriage: `vxlan ${df}` };
    }
    const via = route.via as string;
    const arrival = to.fabric.underlay.find((u) => u.ip === via)?.dev;
    const connected = way === "gateway" ? routes.lookup(via)?.route : undefined;
    return arrival ? { shape: this.parts.id(way, out.name, connected), out: out.name, route, nextHop: via, arrival, inbound: arrival, carriage: way } : undefined;
  }

  /** To an address of the other node's own (a masqueraded source): straight over a connected route of the underlay. */
  private directLeg(from: FabricNode, to: FabricNode, dst: string): Leg | undefined {
    if (this.ctx.nodeAt(dst) !== to.name) return undefined;
    const route = from.index.routesOf(from.host).lookup(dst)?.route;
    const arrival = to.fabric.underlay.find((u) => u.ip === dst)?.dev;
    if (route?.type !== "unicast" || route.via || !route.dev || !arrival) return undefined;
    return { shape: this.parts.id("direct", route.dev, route), out: route.dev, route, nextHop: dst, arrival, inbound: arrival, carriage: "direct" };
  }

  /** The address a masquerade gives a packet leaving `dev` (the kernel's source selection), found once per device when it has one address. */
  private sourceOn(node: FabricNode, dev: string, dst: string, nextHop: string): string | undefined {
    const family = ipFamily(dst);
    let byDev = this.sources.get(node);
    if (!byDev) this.sources.set(node, (byDev = new Map()));
    let candidates = byDev.get(`${family} ${dev}`);
    if (!candidates) byDev.set(`${family} ${dev}`, (candidates = node.index.addressesOf(node.host).filter((a) => a.ifname === dev && a.family === family && a.scope !== "host" && a.scope !== "link")));
    return candidates.length <= 1 ? candidates[0]?.address : node.index.selectSource(node.host, dev, family, nextHop);
  }

  /** The parts of the round trip from `ea` on `a` to `eb` on `b` and back, or undefined when some part is not a clean, modelled one (then only a trace can tell). */
  of(a: FabricNode, ea: ReachabilityEndpoint, b: FabricNode, eb: ReachabilityEndpoint): RoundTripParts | undefined {
    const { protocol, port } = this.packet;
    const there = this.sideTo(a, ea, b, eb.ip);
    if (!there) return undefined;
    const forward = there.leg;
    const nat = this.nat.postrouting(a.index, a.host, { src: ea.ip, dst: eb.ip, protocol, port, oif: forward.out, iif: there.iif });
    if (nat && nat.rule.action !== "masquerade") return undefined;
    const source = nat ? this.sourceOn(a, forward.out, eb.ip, forward.nextHop) : ea.ip;
    const back = source === undefined ? undefined : this.sideTo(b, eb, a, source);
    if (!source || !back) return undefined;
    // What b does with the request once it arrived: its route into its bridge (its own subnet), and the NAT there.
    const oif = this.inwardOf(b, eb);
    const natAtB = oif ? this.nat.postrouting(b.index, b.host, { src: source, dst: eb.ip, protocol, port, oif, iif: forward.inbound }) : undefined;
    if (!oif || natAtB) return undefined;
    const reply = back.leg;
    // Each end's reverse-path check looks up its own route back: the other leg's route.
    return {
      send: this.parts.id("send", there.shape, nat?.rule),
      receive: this.parts.id("receive", forward.carriage, forward.arrival, forward.inbound, reply.route.dev === forward.inbound),
      replySend: this.parts.id("reply-send", back.shape),
      replyReceive: this.parts.id("reply-receive", reply.carriage, reply.arrival, reply.inbound, forward.route.dev === reply.inbound, source === ea.ip),
    };
  }

  /** The device a node's host namespace sends its own endpoint's address out of (its bridge); a node has one endpoint. */
  private inwardOf(node: FabricNode, endpoint: ReachabilityEndpoint): string | undefined {
    let dev = this.inward.get(node);
    if (dev === undefined) this.inward.set(node, (dev = node.index.routesOf(node.host).lookup(endpoint.ip)?.route.dev ?? null));
    return dev ?? undefined;
  }
}
