import { z } from "zod";
import { linkKind, type Link } from "../model/link.js";
import { parseList } from "./parse-list.js";
import { lazySchema } from "../model/lazy-schema.js";

/** One entry of `ip -j -d link show`; fields other iproute2 versions add are ignored, missing ones are optional. */
const IpLinkJson = lazySchema(() =>
  z.object({
    ifindex: z.number(),
    ifname: z.string(),
    flags: z.array(z.string()).default([]),
    mtu: z.number().default(0),
    operstate: z.string().default("UNKNOWN"),
    link_type: z.string().optional(),
    address: z.string().optional(),
    master: z.string().optional(),
    link: z.string().nullable().optional(),
    link_index: z.number().optional(),
    link_netnsid: z.number().optional(),
    link_netns: z.string().optional(),
    ifalias: z.string().optional(),
    linkinfo: z
      .object({
        info_kind: z.string().optional(),
        info_data: z.record(z.string(), z.unknown()).optional(),
        info_slave_kind: z.string().optional(),
      })
      .optional(),
  }),
);
type IpLinkJson = z.infer<typeof IpLinkJson>;

function vxlanOf(entry: IpLinkJson): Link["vxlan"] {
  const data = entry.linkinfo?.info_data;
  if (entry.linkinfo?.info_kind !== "vxlan" || !data) return undefined;
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : undefined);
  return {
    vni: typeof data.id === "number" ? data.id : 0,
    port: typeof data.port === "number" ? data.port : undefined,
    local: text("local"),
    remote: text("remote") ?? text("group"),
    device: text("link"),
    learning: typeof data.learning === "boolean" ? data.learning : undefined,
    df: data.df === "unset" || data.df === "set" || data.df === "inherit" ? data.df : undefined,
  };
}

/** iproute2 names an unresolvable ifindex "ifNN". */
function indexFromName(name: string, byName: Map<string, number>): number | undefined {
  return byName.get(name) ?? (/^if\d+$/.test(name) ? Number(name.slice(2)) : undefined);
}

/** Turns `ip -j -d link show` output of one namespace into Links. */
export function parseIpLinks(json: unknown, netns: number): Link[] {
  const entries = parseList(IpLinkJson, json, "ip -j -d link");
  const byName = new Map(entries.map((e) => [e.ifname, e.ifindex]));
  return entries.map((e): Link => ({
    netns,
    ifindex: e.ifindex,
    name: e.ifname,
    kind: linkKind(e.linkinfo?.info_kind, e.link_type === "loopback"),
    driver: e.linkinfo?.info_kind,
    mtu: e.mtu,
    state: e.operstate,
    flags: e.flags,
    mac: e.link_type === "ether" ? e.address : undefined,
    alias: e.ifalias,
    master: e.master ? byName.get(e.master) : undefined,
    linkIndex: e.link_index ?? (e.link ? indexFromName(e.link, byName) : undefined),
    linkNetnsid: e.link_netnsid,
    linkNetnsName: e.link_netns,
    vxlan: vxlanOf(e),
  }));
}
