/**
 * What `nft -a list ruleset` (text, with handles) adds to its JSON: the rules as nft
 * prints them, including the iptables-nft matches that the JSON names only
 * (`xt match "conntrack"` in JSON is `ct state related,established` in text, through
 * libxtables' translation), and the device of a netdev chain, which nft 1.0's JSON omits.
 */
export interface NftText {
  /** "family table chain handle" -> the rule's text, its counters left out. */
  rules: Map<string, string>;
  /** "family table chain" -> the devices of a netdev base chain. */
  devices: Map<string, string[]>;
}

export const ruleKey = (family: string, table: string, chain: string, handle: number | undefined) => `${family} ${table} ${chain} ${handle ?? ""}`;

const TABLE = /^table (\S+) (\S+) \{/;
const CHAIN = /^chain (\S+) \{/;
const HANDLE = /\s*# handle (\d+)$/;
const COUNTER = /counter packets \d+ bytes \d+/g;

/** nft quotes names it would otherwise read as keywords: `chain "in"`. */
const unquote = (name: string) => name.replace(/^"(.*)"$/, "$1");

function devicesOf(header: string): string[] | undefined {
  const one = /\bdevice "?([^";\s]+)"?/.exec(header);
  if (one?.[1]) return [one[1]];
  const many = /\bdevices = \{([^}]*)\}/.exec(header);
  return many?.[1]?.split(",").map((d) => d.trim().replace(/^"(.*)"$/, "$1"));
}

export function parseNftText(text: string | undefined): NftText {
  const parsed: NftText = { rules: new Map(), devices: new Map() };
  if (!text) return parsed;
  let table: { family: string; name: string } | undefined;
  let chain: string | undefined;
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const t = TABLE.exec(line);
    if (t?.[1] && t[2]) {
      table = { family: t[1], name: unquote(t[2]) };
      chain = undefined;
      continue;
    }
    const c = CHAIN.exec(line);
    if (c?.[1] && table) {
      chain = unquote(c[1]);
      pending = "";
      continue;
    }
    if (!table || !chain) continue;
    if (line === "}") {
      chain = undefined;
      continue;
    }
    if (line.startsWith("type ")) {
      const devices = devicesOf(line);
      if (devices) parsed.devices.set(`${table.family} ${table.name} ${chain}`, devices);
      continue;
    }
    if (!pending && line.startsWith('comment "')) continue;
    // A long rule may wrap; it ends at its handle.
    pending = pending ? `${pending} ${line}` : line;
    const handle = HANDLE.exec(pending);
    if (!handle?.[1]) continue;
    parsed.rules.set(ruleKey(table.family, table.name, chain, Number(handle[1])), pending.replace(HANDLE, "").replace(COUNTER, "counter").trim());
    pending = "";
  }
  return parsed;
}
