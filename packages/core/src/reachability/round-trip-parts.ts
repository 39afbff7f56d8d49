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

export class RoundTrips {
  private readonly parts = new Interner();
  /** NAT decisions for the pods' packets, and for the encapsulated ones between VTEPs (UDP to the VXLAN port). */
  private readonly nat = new NatDecisions();
  private readonly outerNat = new NatDecisions();
  private readonly owners = new Map<string, OwnedSubnet | null>();
  private readonly routes = new Map<FabricNode, Map<number, Map<OwnedSubnet | string, Route | null>>>();
  private readonly legs = new Memo<Leg | undefined>();
  private readonly hostSides = new Memo<string | undefined>();
  private readonly sources = new Memo<Address[]>();

  constructor(
    private readonly ctx: FabricContext,
    private readonly packet: { protocol: TraceProtocol; port?: number },
  ) {}

  private ownerOf(ip: string): OwnedSubnet | undefined {
    let owner = this.owners.get(ip);
    if (owner === undefined) this.owners.set(ip, (owner = this.ctx.owned.of(ip) ?? null));
    return owner ?? undefined;
  }

  /**
   * A namespace's route for `ip`, looked up once per (node, namespace, destination
   * subnet): every address of a node's subnet is routed alike up to its bridge.
   */
  private route(node: FabricNode, netns: number, ip: string): Route | undefined {
    // Maps by hand, not Memo: this runs several times per pair.
    let byNetns = this.routes.get(node);
    if (!byNetns) this.routes.set(node, (byNetns = new Map()));
    let byDestination = byNetns.get(netns);
    if (!byDestination) byNetns.set(netns, (byDestination = new Map()));
    const key = this.ownerOf(ip) ?? ip;
    let route = byDestination.get(key);
    if (route === undefined) byDestination.set(key, (route = node.index.routesOf(netns).lookup(ip)?.route ?? null));
    return route ?? undefined;
  }

  /** The host-side interface a packet from the endpoint's namespace comes in on: the bridge its veth hangs on, or the veth. */
  private hostSide(node: FabricNode, endpoint: ReachabilityEndpoint, dev: string): string | undefined {
    return this.hostSides.get([node, endpoint.netns, dev], () => {
      const inside = node.index.links.named(endpoint.netns, dev);
      const peer = inside && node.index.links.peerOf(inside);
      return peer && (node.index.links.masterOf(peer)?.name ?? peer.name);
    });
  }

  /** The fabric leg from `from` to `to` for `dst`, once per (node, destination subnet). */
  private legTo(from: FabricNode, to: FabricNode, dst: string): Leg | undefined {
    const subnet = this.ownerOf(dst);
    // A subnet has one owner and an address one node: the destination names `to` already.
    return this.legs.get([from, subnet ?? dst], () => (subnet?.node === to.name ? this.fabricLeg(from, to, subnet, dst) : this.directLeg(from, to, dst)));
  }

  /** Into another node's subnet: only over a delivery the fabric checks find clean. */
  private fabricLeg(from: FabricNode, to: FabricNode, subnet: OwnedSubnet, dst: string): Leg | undefined {
    const delivery = this.ctx.deliveryOf(from, subnet);
    const { route, out, way } = delivery;
    if (delivery.problems.length || delivery.reaches !== to.name || !route || !out || !way) return undefined;
    if (way === "vxlan") {
      const [a, b] = [from.vxlan, to.vxlan];
      const target = to.vtepUnderlay;
      if (!a?.up || !b?.up || a.vni !== b.vni || a.port !== b.port || !target) return undefined;
      const outer = this.route(from, from.host, target);
      const arrival = to.fabric.underlay.find((u) => u.ip === target)?.dev;
      if (outer?.type !== "unicast" || !outer.dev || !arrival) return undefined;
      const local = a.local ?? from.index.selectSource(from.host, a.lower ?? outer.dev, ipFamily(target), target) ?? "";
      const nat = this.outerNat.postrouting(from.index, from.host, local, target, outer.dev, undefined, () => ({ src: local, dst: target, protocol: "udp", port: a.port, oif: outer.dev as string }));
      const df = from.vxlanLink?.vxlan?.df ?? "unset";
      return { shape: this.parts.id("vxlan", out.name, outer, nat?.rule, df), out: out.name, route, nextHop: route.via ?? dst, arrival, inbound: b.dev, carriage: `vxlan ${df}` };
    }
    const via = route.via as string;
    const arrival = to.fabric.underlay.find((u) => u.ip === via)?.dev;
    const connected = way === "gateway" ? this.route(from, from.host, via) : undefined;
    return arrival ? { shape: this.parts.id(way, out.name, connected), out: out.name, route, nextHop: via, arrival, inbound: arrival, carriage: way } : undefined;
  }

  /** To an address of the other node's own (a masqueraded source): straight over a connected route of the underlay. */
  private directLeg(from: FabricNode, to: FabricNode, dst: string): Leg | undefined {
    if (this.ctx.nodeAt(dst) !== to.name) return undefined;
    const route = this.route(from, from.host, dst);
    const arrival = to.fabric.underlay.find((u) => u.ip === dst)?.dev;
    if (route?.type !== "unicast" || route.via || !route.dev || !arrival) return undefined;
    return { shape: this.parts.id("direct", route.dev, route), out: route.dev, route, nextHop: dst, arrival, inbound: arrival, carriage: "direct" };
  }

  /** The address a masquerade gives a packet leaving `dev` (the kernel's source selection), found once per device when it has one address. */
  private sourceOn(node: FabricNode, dev: string, dst: string, nextHop: string): string | undefined {
    const family = ipFamily(dst);
    const candidates = this.sources.get([node, dev, family], () => node.index.addressesOf(node.host).filter((a) => a.ifname === dev && a.family === family && a.scope !== "host" && a.scope !== "link"));
    return candidates.length <= 1 ? candidates[0]?.address : node.index.selectSource(node.host, dev, family, nextHop);
  }

  /** The parts of the round trip from `ea` on `a` to `eb` on `b` and back, or undefined when some part is not a clean, modelled one (then only a trace can tell). */
  of(a: FabricNode, ea: ReachabilityEndpoint, b: FabricNode, eb: ReachabilityEndpoint): RoundTripParts | undefined {
    const { protocol, port } = this.packet;
    const podRoute = this.route(a, ea.netns, eb.ip);
    const iif = podRoute?.dev && this.hostSide(a, ea, podRoute.dev);
    const forward = this.legTo(a, b, eb.ip);
    if (!podRoute || !iif || !forward) return undefined;
    const nat = this.nat.postrouting(a.index, a.host, ea.ip, eb.ip, forward.out, iif, () => ({ src: ea.ip, dst: eb.ip, protocol, port, oif: forward.out, iif }));
    if (nat && nat.rule.action !== "masquerade") return undefined;
    const source = nat ? this.sourceOn(a, forward.out, eb.ip, forward.nextHop) : ea.ip;
    if (!source) return undefined;
    const inward = this.route(b, b.host, eb.ip);
    const oif = inward?.dev;
    const natAtB = oif ? this.nat.postrouting(b.index, b.host, source, eb.ip, oif, forward.inbound, () => ({ src: source, dst: eb.ip, protocol, port, oif, iif: forward.inbound })) : undefined;
    const replyRoute = this.route(b, eb.netns, source);
    const replyIif = replyRoute?.dev && this.hostSide(b, eb, replyRoute.dev);
    const reply = this.legTo(b, a, source);
    if (!inward || natAtB || !replyRoute || !replyIif || !reply) return undefined;
    // Where each end's reverse-path check looks: its own route back, which is the other leg's.
    const [backAtB, backAtA] = [reply.route, forward.route];
    return {
      send: this.parts.id("send", podRoute, iif, forward.shape, nat?.rule),
      receive: this.parts.id("receive", forward.carriage, forward.arrival, forward.inbound, backAtB?.dev === forward.inbound),
      replySend: this.parts.id("reply-send", replyRoute, replyIif, reply.shape),
      replyReceive: this.parts.id("reply-receive", reply.carriage, reply.arrival, reply.inbound, backAtA?.dev === reply.inbound, source === ea.ip),
    };
  }
}
