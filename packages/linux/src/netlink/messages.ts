import { endianness } from "node:os";

/** One rtnetlink message: its type (RTM_NEWLINK, ...), flags, and the bytes after the nlmsghdr. */
export interface NetlinkMessage {
  type: number;
  flags: number;
  body: Buffer;
}

/**
 * Attributes of one message or nest by type; the last of a repeated type wins, as in
 * iproute2's parse_rtattr. A link carries some forty attributes and the decoders read a
 * handful, so each is kept as a span of the message and cut into a Buffer only when asked for.
 */
export class Attributes {
  /** type -> payload offset * 2^16 + payload length (an attribute holds at most 65535 bytes). */
  private readonly spans = new Map<number, number>();

  constructor(private readonly bytes: Buffer) {}

  set(type: number, offset: number, length: number): void {
    this.spans.set(type, offset * 0x10000 + length);
  }

  has(type: number): boolean {
    return this.spans.has(type);
  }

  get(type: number): Buffer | undefined {
    const span = this.spans.get(type);
    if (span === undefined) return undefined;
    const offset = Math.floor(span / 0x10000);
    return this.bytes.subarray(offset, offset + (span % 0x10000));
  }

  /** A number read straight from the message, without cutting a Buffer for it. */
  read<T>(type: number, bytes: number, reader: (b: Buffer, at: number) => T): T | undefined {
    const span = this.spans.get(type);
    return span !== undefined && span % 0x10000 >= bytes ? reader(this.bytes, Math.floor(span / 0x10000)) : undefined;
  }
}

const NLMSG_HDRLEN = 16;
const RTA_HDRLEN = 4;
/** The kernel may set NLA_F_NESTED and NLA_F_NET_BYTEORDER in an attribute's type. */
const NLA_TYPE_MASK = 0x3fff;
const align4 = (n: number) => (n + 3) & ~3;

// Netlink speaks the host's byte order, except where an attribute says network order (ports).
const LE = endianness() === "LE";
export const u16 = (b: Buffer, at = 0) => (LE ? b.readUInt16LE(at) : b.readUInt16BE(at));
export const u32 = (b: Buffer, at = 0) => (LE ? b.readUInt32LE(at) : b.readUInt32BE(at));
export const s32 = (b: Buffer, at = 0) => (LE ? b.readInt32LE(at) : b.readInt32BE(at));

/** Splits concatenated netlink messages (as the addon returns a dump) into type, flags and body. */
export function splitMessages(bytes: Buffer): NetlinkMessage[] {
  const messages: NetlinkMessage[] = [];
  let at = 0;
  while (at + NLMSG_HDRLEN <= bytes.length) {
    const len = u32(bytes, at);
    if (len < NLMSG_HDRLEN || at + len > bytes.length) throw new Error(`netlink message at byte ${at} claims ${len} bytes, but ${bytes.length - at} remain`);
    messages.push({ type: u16(bytes, at + 4), flags: u16(bytes, at + 6), body: bytes.subarray(at + NLMSG_HDRLEN, at + len) });
    at += align4(len);
  }
  return messages;
}

/** Parses the rtattrs of `bytes` from `offset` (a message body after its family header, or a nest's payload). */
export function parseAttributes(bytes: Buffer, offset = 0): Attributes {
  const attributes = new Attributes(bytes);
  let at = offset;
  while (at + RTA_HDRLEN <= bytes.length) {
    const len = u16(bytes, at);
    if (len < RTA_HDRLEN || at + len > bytes.length) break; // a truncated tail: iproute2 stops here too
    attributes.set(u16(bytes, at + 2) & NLA_TYPE_MASK, at + RTA_HDRLEN, len - RTA_HDRLEN);
    at += align4(len);
  }
  return attributes;
}

/** A NUL-terminated string attribute. */
export function text(value: Buffer | undefined): string | undefined {
  if (!value) return undefined;
  const end = value.indexOf(0);
  return value.toString("utf8", 0, end === -1 ? value.length : end);
}

const u8 = (b: Buffer, at: number) => b[at] as number;
export const attrU8 = (a: Attributes, type: number) => a.read(type, 1, u8);
export const attrU16 = (a: Attributes, type: number) => a.read(type, 2, u16);
export const attrU32 = (a: Attributes, type: number) => a.read(type, 4, u32);
export const attrS32 = (a: Attributes, type: number) => a.read(type, 4, s32);
