import { linkKey, type Link, type LinkRef } from "../model/link.js";

/** Finds links by (namespace, ifindex) and by (namespace, name). */
export class LinkIndex {
  private readonly byRef = new Map<string, Link>();
  private readonly byName = new Map<string, Link>();

  constructor(readonly links: readonly Link[]) {
    for (const l of links) {
      this.byRef.set(linkKey(l), l);
      this.byName.set(`${l.netns}/${l.name}`, l);
    }
  }

  get(ref: LinkRef): Link | undefined {
    return this.byRef.get(linkKey(ref));
  }

  named(netns: number, name: string): Link | undefined {
    return this.byName.get(`${netns}/${name}`);
  }

  peerOf(link: Link): Link | undefined {
    return link.peer ? this.get(link.peer) : undefined;
  }

  masterOf(link: Link): Link | undefined {
    return link.master === undefined ? undefined : this.get({ netns: link.netns, ifindex: link.master });
  }

  portsOf(bridge: Link): Link[] {
    return this.links.filter((l) => l.netns === bridge.netns && l.master === bridge.ifindex);
  }
}
