/** IPv4 and IPv6 addresses and link-layer addresses as iproute2 prints them. */

function ipv6Text(b: Buffer): string {
  const words = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  // inet_ntop: the first longest run of two or more zero words becomes "::".
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { start: i, len: j - i };
    i = j;
  }
  if (best.len < 2) best = { start: -1, len: 0 };
  // An IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible (::a.b.c.d) address ends in dotted quad.
  if (best.start === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
    return `::${best.len === 5 ? "ffff:" : ""}${Array.from(b.subarray(12, 16)).join(".")}`;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  if (best.start === -1) return hex(words);
  return `${hex(words.slice(0, best.start))}::${hex(words.slice(best.start + best.len))}`;
}

/** A 4- or 16-byte address; undefined for any other length. */
export function ipText(b: Buffer | undefined): string | undefined {
  if (!b) return undefined;
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length === 16) return ipv6Text(b);
  return undefined;
}

const ARPHRD_TUNNEL = 768;
const ARPHRD_TUNNEL6 = 769;
const ARPHRD_SIT = 776;
const ARPHRD_IPGRE = 778;
const ARPHRD_IP6GRE = 823;

/** iproute2's ll_addr_n2a: IP tunnels' "hardware" addresses are their endpoints' IPs; the rest hex bytes. */
export function lladdrText(b: Buffer, linkType: number | undefined): string {
  if (b.length === 4 && (linkType === ARPHRD_TUNNEL || linkType === ARPHRD_SIT || linkType === ARPHRD_IPGRE)) return ipText(b) as string;
  if (b.length === 16 && (linkType === ARPHRD_TUNNEL6 || linkType === ARPHRD_IP6GRE)) return ipText(b) as string;
  return hexBytes(b);
}

// Every MAC of every link, neighbour and FDB entry goes through here: a table, not toString + padStart per byte.
const HEX_BYTE = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, "0"));

/** "02:42:ac:11:00:02": bytes in lower-case hex, colon-separated. */
function hexBytes(b: Buffer): string {
  let out = b.length > 0 ? (HEX_BYTE[b[0] as number] as string) : "";
  for (let i = 1; i < b.length; i++) out += `:${HEX_BYTE[b[i] as number]}`;
  return out;
}
