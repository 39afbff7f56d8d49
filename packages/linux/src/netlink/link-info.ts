import type { VxlanInfo } from "@netatlas/core";
import { ipText } from "./address-text.js";
import { attrU8, attrU32, parseAttributes, text, type Attributes } from "./messages.js";

const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;

const IFLA_VXLAN_ID = 1;
const IFLA_VXLAN_GROUP = 2;
const IFLA_VXLAN_LINK = 3;
const IFLA_VXLAN_LOCAL = 4;
const IFLA_VXLAN_LEARNING = 7;
const IFLA_VXLAN_PORT = 15;
const IFLA_VXLAN_GROUP6 = 16;
const IFLA_VXLAN_LOCAL6 = 17;
const IFLA_VXLAN_DF = 29;
/** enum ifla_vxlan_df. */
const VXLAN_DF = ["unset", "set", "inherit"] as const;

/** A zero address means "not set" (iproute2 prints nothing for it). */
const setAddress = (b: Buffer | undefined) => (b && b.some((byte) => byte !== 0) ? ipText(b) : undefined);

/** IFLA_VXLAN_*: the remote is the unicast remote or the multicast group, whichever is set. */
function vxlanInfo(a: Attributes, nameOf: (ifindex: number) => string): VxlanInfo {
  const link = attrU32(a, IFLA_VXLAN_LINK);
  const port = a.get(IFLA_VXLAN_PORT);
  const learning = attrU8(a, IFLA_VXLAN_LEARNING);
  const df = attrU8(a, IFLA_VXLAN_DF);
  return {
    vni: attrU32(a, IFLA_VXLAN_ID) ?? 0,
    // The port alone is in network byte order.
    port: port && port.length >= 2 ? port.readUInt16BE(0) : undefined,
    local: setAddress(a.get(IFLA_VXLAN_LOCAL) ?? a.get(IFLA_VXLAN_LOCAL6)),
    remote: setAddress(a.get(IFLA_VXLAN_GROUP) ?? a.get(IFLA_VXLAN_GROUP6)),
    device: link ? nameOf(link) : undefined,
    learning: learning === undefined ? undefined : learning !== 0,
    df: df === undefined ? undefined : VXLAN_DF[df],
  };
}

/** IFLA_LINKINFO: the driver (IFLA_INFO_KIND) and, for a VXLAN device, its tunnel. */
export function linkInfo(nest: Buffer, nameOf: (ifindex: number) => string): { driver?: string; vxlan?: VxlanInfo } {
  const a = parseAttributes(nest);
  const driver = text(a.get(IFLA_INFO_KIND)) || undefined;
  const data = a.get(IFLA_INFO_DATA);
  return { driver, vxlan: data && driver === "vxlan" ? vxlanInfo(parseAttributes(data), nameOf) : undefined };
}
