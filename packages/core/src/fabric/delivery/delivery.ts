import type { Finding, Severity } from "../../model/finding.js";
import type { Link } from "../../model/link.js";
import type { Route } from "../../model/route.js";
import type { FabricNode } from "./fabric-context.js";
import type { OwnedSubnet } from "./owned-subnets.js";

/** What a node's host namespace does with a packet for another node's subnet. */
export interface Delivery {
  from: string;
  subnet: OwnedSubnet;
  /** The route the kernel picks (longest prefix match, the trace's own lookup), if any. */
  route?: Route;
  out?: Link;
  /** Through a VXLAN device, another tunnel, or a gateway on a plain device. */
  way?: "vxlan" | "ipip" | "gre" | "gateway";
  /** The fleet node the packet (or its encapsulation) is sent to. */
  reaches?: string;
  /** What keeps it from reaching the subnet's owner the way the backend needs, as findings naming both nodes. */
  problems: Finding[];
}

/** A fault of one node's state towards another node's subnet. */
export function pairFinding(from: FabricNode, subnet: OwnedSubnet, code: string, severity: Severity, object: string, message: string, fix?: string): Finding {
  return { code, severity, message, ...(fix ? { fix } : {}), subjects: [`${from.name}/host/${object}`, `${subnet.node}/host`, subnet.cidr] };
}

