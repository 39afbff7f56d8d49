import type { Finding } from "../model/finding.js";
import { netnsLabel, type Netns } from "../model/netns.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { LinkIndex } from "../topology/link-index.js";

/** What every finding rule needs of a snapshot, computed once. */
export class SnapshotView {
  readonly links: LinkIndex;
  private readonly nsById: Map<number, Netns>;

  constructor(readonly snapshot: NodeSnapshot) {
    this.links = new LinkIndex(snapshot.links);
    this.nsById = new Map(snapshot.namespaces.map((ns) => [ns.id, ns]));
  }

  netns(id: number): Netns | undefined {
    return this.nsById.get(id);
  }

  /** "node/netns" as a subject, readable and stable. */
  where(netns: number, ifname?: string): string {
    const ns = this.nsById.get(netns);
    const label = ns ? netnsLabel(ns) : `netns:${netns}`;
    return `${this.snapshot.node}/${label}${ifname ? `/${ifname}` : ""}`;
  }
}

export type FindingRule = (view: SnapshotView) => Finding[];
