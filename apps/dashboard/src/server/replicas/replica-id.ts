import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * A name for this dashboard process that no other process, before or after, gets: the host
 * (in Kubernetes the pod's name, which is what an operator looks for), the PID and a random tail
 * (a restarted pod keeps its host name and often its PID 1).
 */
export function newReplicaId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`;
}
