import { ipText } from "./address-text.js";
import { attrU8, attrU16, attrU32, parseAttributes, text, type Attributes } from "./messages.js";

/** One object of iproute2's JSON output. */
export type IpJson = Record<string, unknown>;

const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const IFLA_INFO_SLAVE_KIND = 4;

const IFLA_VXLAN_ID = 1;
const IFLA_VXLAN_GROUP = 2;
const IFLA_VXLAN_LINK = 3;
const IFLA_VXLAN_LOCAL = 4;
const IFLA_VXLAN_TTL = 5;
const IFLA_VXLAN_LEARNING = 7;
const IFLA_VXLAN_AGEING = 8;
const IFLA_VXLAN_PORT = 15;
const IFLA_VXLAN_GROUP6 = 16;
const IFLA_VXLAN_LOCAL6 = 17;
const IFLA_VXLAN_DF = 29;
/** enum ifla_vxlan_df, as iproute2 prints it. */
const VXLAN_DF_NAMES = ["unset", "set", "inherit"];

/** A zero address means "not set" to iproute2, which then prints nothing. */
const setAddress = (b: Buffer | undefined) => (b && b.some((byte) => byte !== 0) ? ipText(b) : undefined);

/** vxlan_print_opt: a multicast destination is a "group", a unicast one a "remote". */
function vxlanData(a: Attributes, nameOf: (ifindex: number) => string): IpJson {
  const data: IpJson = {};
  const id = attrU32(a, IFLA_VXLAN_ID);
  if (id !== undefined) data.id = id;
  const group = a.get(IFLA_VXLAN_GROUP) ?? a.get(IFLA_VXLAN_GROUP6);
  const groupText = setAddress(group);
  if (group && groupText) {
    const multicast = group.length === 4 ? (group[0] as number) >= 224 && (group[0] as number) <= 239 : group[0] === 0xff;
    data[multicast ? "group" : "remote"] = groupText;
  }
  const local = setAddress(a.get(IFLA_VXLAN_LOCAL) ?? a.get(IFLA_VXLAN_LOCAL6));
  if (local) data.local = local;
  const link = attrU32(a, IFLA_VXLAN_LINK);
  if (link) data.link = nameOf(link);
  const port = a.get(IFLA_VXLAN_PORT);
  if (port && port.length >= 2) data.port = port.readUInt16BE(0);
  const learning = attrU8(a, IFLA_VXLAN_LEARNING);
  if (learning !== undefined) data.learning = learning !== 0;
  const ttl = attrU8(a, IFLA_VXLAN_TTL);
  if (ttl !== undefined) data.ttl = ttl;
  const ageing = attrU32(a, IFLA_VXLAN_AGEING);
  if (ageing !== undefined) data.ageing = ageing;
  const df = attrU8(a, IFLA_VXLAN_DF);
  if (df !== undefined && VXLAN_DF_NAMES[df]) data.df = VXLAN_DF_NAMES[df];
  return data;
}

const IFLA_BR_FORWARD_DELAY = 1;
const IFLA_BR_HELLO_TIME = 2;
const IFLA_BR_MAX_AGE = 3;
const IFLA_BR_AGEING_TIME = 4;
const IFLA_BR_STP_STATE = 5;
const IFLA_BR_PRIORITY = 6;
const IFLA_BR_VLAN_FILTERING = 7;

function bridgeData(a: Attributes): IpJson {
  const data: IpJson = {};
  const u32s: Array<[string, number]> = [["forward_delay", IFLA_BR_FORWARD_DELAY], ["hello_time", IFLA_BR_HELLO_TIME], ["max_age", IFLA_BR_MAX_AGE], ["ageing_time", IFLA_BR_AGEING_TIME], ["stp_state", IFLA_BR_STP_STATE]];
  for (const [key, type] of u32s) {
    const v = attrU32(a, type);
    if (v !== undefined) data[key] = v;
  }
  const priority = attrU16(a, IFLA_BR_PRIORITY);
  if (priority !== undefined) data.priority = priority;
  const filtering = attrU8(a, IFLA_BR_VLAN_FILTERING);
  if (filtering !== undefined) data.vlan_filtering = filtering;
  return data;
}

/** IFLA_LINKINFO as `ip -d` prints it: the driver, its data for vxlan and bridge, and the port's kind. */
export function linkInfo(nest: Buffer, nameOf: (ifindex: number) => string): IpJson {
  const a = parseAttributes(nest);
  const info: IpJson = {};
  const kind = text(a.get(IFLA_INFO_KIND));
  if (kind) info.info_kind = kind;
  const data = a.get(IFLA_INFO_DATA);
  if (data && kind === "vxlan") info.info_data = vxlanData(parseAttributes(data), nameOf);
  if (data && kind === "bridge") info.info_data = bridgeData(parseAttributes(data));
  const slaveKind = text(a.get(IFLA_INFO_SLAVE_KIND));
  if (slaveKind) info.info_slave_kind = slaveKind;
  return info;
}
