import type { NetworkChange } from "../model/event.js";
import { netnsLabel } from "../model/netns.js";
import type { NodeSnapshot } from "../model/snapshot.js";
import { addressIdentity, containerIdentity, fdbIdentity, linkIdentity, listChanges, neighborIdentity, netnsIdentity, podIdentity, routeIdentity } from "./entry-identity.js";

/** What changed between two snapshots of one node, as events a person can read. */
export function diffSnapshots(before: NodeSnapshot, after: NodeSnapshot): NetworkChange[] {
  const nsName = new Map([...before.namespaces, ...after.namespaces].map((ns) => [ns.id, netnsLabel(ns)]));
  const where = (netns: number) => nsName.get(netns) ?? `netns:${netns}`;
  return [
    ...listChanges(netnsIdentity, before.namespaces, after.namespaces, where),
    ...listChanges(linkIdentity, before.links, after.links, where),
    ...listChanges(addressIdentity, before.addresses, after.addresses, where),
    ...listChanges(routeIdentity, before.routes, after.routes, where),
    ...listChanges(neighborIdentity, before.neighbors, after.neighbors, where),
    ...listChanges(fdbIdentity, before.fdb, after.fdb, where),
    ...listChanges(podIdentity, before.pods, after.pods, where),
    ...listChanges(containerIdentity, before.containers, after.containers, where),
  ];
}
