/**
 * iproute2's name tables: the model names route tables, protocols, scopes, flags and
 * states as `ip` prints them, so a reader who knows `ip` knows the snapshot.
 */

/** Number-to-name maps that /etc/iproute2 can extend (rt_tables, rt_protos, rt_scopes). */
export interface ConfiguredNames {
  tables: ReadonlyMap<number, string>;
  protocols: ReadonlyMap<number, string>;
  scopes: ReadonlyMap<number, string>;
}

export const BUILTIN_NAMES: ConfiguredNames = {
  tables: new Map([
    [0, "unspec"],
    [253, "default"],
    [254, "main"],
    [255, "local"],
  ]),
  protocols: new Map([
    [0, "unspec"], [1, "redirect"], [2, "kernel"], [3, "boot"], [4, "static"], [8, "gated"], [9, "ra"], [10, "mrt"], [11, "zebra"],
    [12, "bird"], [13, "dnrouted"], [14, "xorp"], [15, "ntk"], [16, "dhcp"], [17, "mrouted"], [18, "keepalived"], [42, "babel"],
    [99, "openr"], [186, "bgp"], [187, "isis"], [188, "ospf"], [189, "rip"], [192, "eigrp"],
  ]),
  scopes: new Map([
    [0, "global"],
    [200, "site"],
    [253, "link"],
    [254, "host"],
    [255, "nowhere"],
  ]),
};

const nameOr = (map: ReadonlyMap<number, string>, n: number) => map.get(n) ?? String(n);
export const tableName = (names: ConfiguredNames, n: number) => nameOr(names.tables, n);
export const protocolName = (names: ConfiguredNames, n: number) => nameOr(names.protocols, n);
export const scopeName = (names: ConfiguredNames, n: number) => nameOr(names.scopes, n);

const OPERSTATES = ["UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"];
export const operstateName = (n: number) => OPERSTATES[n] ?? `0x${n.toString(16)}`;

/** Named bits in the order iproute2 prints them; leftover bits follow in hex. */
function bitNames(value: number, bits: ReadonlyArray<readonly [number, string]>): string[] {
  const names: string[] = [];
  let rest = value;
  for (const [bit, name] of bits) {
    if (rest & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  return rest ? [...names, rest.toString(16)] : names;
}

const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;
const LINK_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x8, "LOOPBACK"], [0x2, "BROADCAST"], [0x10, "POINTOPOINT"], [0x1000, "MULTICAST"], [0x80, "NOARP"], [0x200, "ALLMULTI"],
  [0x100, "PROMISC"], [0x400, "MASTER"], [0x800, "SLAVE"], [0x4, "DEBUG"], [0x8000, "DYNAMIC"], [0x4000, "AUTOMEDIA"],
  [0x2000, "PORTSEL"], [0x20, "NOTRAILERS"], [IFF_UP, "UP"], [0x10000, "LOWER_UP"], [0x20000, "DORMANT"], [0x40000, "ECHO"],
];

/**
 * iproute2's print_link_flags: NO-CARRIER for a link that is up but not running,
 * RUNNING itself never, and M-DOWN when the link it sits on (same namespace) is down.
 */
export function linkFlagNames(flags: number, lowerDown: boolean): string[] {
  const names = flags & IFF_UP && !(flags & IFF_RUNNING) ? ["NO-CARRIER"] : [];
  names.push(...bitNames(flags & ~IFF_RUNNING, LINK_FLAGS));
  if (lowerDown) names.push("M-DOWN");
  return names;
}
export const isUp = (flags: number) => (flags & IFF_UP) !== 0;

const NUD_STATES: ReadonlyArray<readonly [number, string]> = [
  [0x01, "INCOMPLETE"], [0x02, "REACHABLE"], [0x04, "STALE"], [0x08, "DELAY"], [0x10, "PROBE"], [0x20, "FAILED"], [0x40, "NOARP"], [0x80, "PERMANENT"],
];
export const neighStateNames = (state: number) => bitNames(state, NUD_STATES);

const ROUTE_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x1, "dead"], [0x4, "onlink"], [0x2, "pervasive"], [0x8, "offload"], [0x40, "trap"], [0x100, "notify"], [0x10, "linkdown"],
  [0x20, "unresolved"], [0x4000, "rt_offload"], [0x8000, "rt_trap"], [0x20000000, "rt_offload_failed"],
];
/** Only the flags iproute2 names; it prints no hex for the rest (e.g. RTM_F_CLONED). */
export const routeFlagNames = (flags: number) => ROUTE_FLAGS.filter(([bit]) => flags & bit).map(([, name]) => name);

export const NTF_SELF = 0x02;
export const NTF_MASTER = 0x04;
export const NTF_PROXY = 0x08;
export const NTF_EXT_LEARNED = 0x10;
export const NTF_ROUTER = 0x80;
const FDB_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [NTF_SELF, "self"], [NTF_ROUTER, "router"], [NTF_EXT_LEARNED, "extern_learn"], [0x20, "offload"], [NTF_MASTER, "master"], [0x40, "sticky"],
];
export const fdbFlagNames = (flags: number) => FDB_FLAGS.filter(([bit]) => flags & bit).map(([, name]) => name);

export const NUD_NOARP = 0x40;
/** bridge's state_n2a: an FDB entry's state as one word. */
export function fdbStateName(state: number): string {
  if (state & 0x80) return "permanent";
  if (state & NUD_NOARP) return "static";
  if (state & 0x04) return "stale";
  if (state & 0x02) return "";
  return `0x${state.toString(16)}`;
}
