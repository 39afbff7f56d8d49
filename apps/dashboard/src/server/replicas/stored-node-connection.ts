import { randomBytes } from "node:crypto";
import type { SnapshotStreamMessage } from "@netatlas/agent-api";
import type { Db } from "../db/open";
import type { AgentConnection } from "../fleet/agent-connection";
import type { ReplicaBus } from "./replica-bus";
import { newestStoredState, storedNodeHead, type StoredNodeHead } from "./stored-node-store";

export interface StoredConnectionOptions {
  /** How often the stream says the node is alive, as an agent's heartbeat would. */
  heartbeatMs: number;
  /** Every this many heartbeats the database is read instead, for a state or trouble a lost notice did not announce (default 12). */
  readEveryBeats?: number;
}

/** The leader's word on the node, as an error the poller shows, or nothing when the leader hears the agent. */
function leaderTrouble(node: string, head: StoredNodeHead): Error | undefined {
  if (!head.leader) return new Error(`agent ${node}: no dashboard replica leads it now (its lease expired); a live replica takes it over within a lease ttl`);
  if (head.error) return new Error(`${head.error} (as replica ${head.leader}, which leads ${node}, hears it)`);
  return undefined;
}

/**
 * A node this replica does not lead, served as if it were its agent: from the database (the
 * states its leader stored) and the leader's notices (new states, events, whether it hears the
 * agent). The stream sends the newest stored state whole, again whenever a notice says a newer
 * one is stored, and heartbeats while the leader hears the agent; it ends with the leader's error
 * when it does not. The database is read on notices, and now and then in case one was lost.
 */
export function storedNodeConnection(db: Db, bus: ReplicaBus, node: string, options: StoredConnectionOptions): AgentConnection {
  return {
    async snapshot(knownHash) {
      const head = await storedNodeHead(db, node);
      const trouble = leaderTrouble(node, head);
      if (trouble) throw trouble;
      if (head.hash && head.hash === knownHash) return { hash: head.hash, collectedAt: (head.lastSeenAt ?? new Date()).toISOString(), snapshot: null };
      const state = await newestStoredState(db, node);
      if (!state) throw new Error(`agent ${node}: replica ${head.leader} leads it but has stored no state of it yet`);
      return { hash: state.hash, collectedAt: state.snapshot.collectedAt, snapshot: state.snapshot };
    },

    stream(_from, onMessage, onError) {
      // Its own positions: a position of the agent's stream, or of another replica's, means nothing here, so it always starts whole.
      const epoch = randomBytes(8).toString("hex");
      let version = 0;
      let sentHash: string | undefined;
      let ended = false;
      let reading: Promise<void> | undefined;
      let readAgain = false;
      const end = (error: Error) => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        off();
        onError(error);
      };
      const send = (message: SnapshotStreamMessage) => {
        if (!ended) onMessage(message);
      };
      const readOnce = async () => {
        const head = await storedNodeHead(db, node);
        const trouble = leaderTrouble(node, head);
        if (trouble) return end(trouble);
        if (!head.hash) return;
        if (head.hash === sentHash) return send({ type: "heartbeat", epoch, version, hash: head.hash, at: new Date().toISOString(), intervalMs: options.heartbeatMs });
        const state = await newestStoredState(db, node);
        if (!state) return;
        sentHash = state.hash;
        send({ type: "full", epoch, version: ++version, hash: state.hash, snapshot: state.snapshot });
      };
      // One read at a time; a notice during one asks for one more after it.
      const read = () => {
        if (reading) return void (readAgain = true);
        reading = readOnce()
          .catch((error: Error) => end(new Error(`agent ${node}: reading its stored state failed: ${error.message}`)))
          .finally(() => {
            reading = undefined;
            if (readAgain && !ended) {
              readAgain = false;
              read();
            }
          });
      };
      const off = bus.on(node, (notice) => {
        if (notice.kind === "state" && notice.hash !== sentHash) {
          // The leader's delta from the state sent last: passed on as the agent sent it, nothing read.
          if (notice.delta && notice.deltaFrom === sentHash && !reading) {
            sentHash = notice.hash;
            send({ type: "delta", epoch, from: version, version: ++version, hash: notice.hash, delta: notice.delta });
          } else read();
        }
        else if (notice.kind === "seen" && notice.error) end(new Error(`${notice.error} (as replica ${notice.from}, which leads ${node}, hears it)`));
      });
      let beats = 0;
      const beat = () => {
        if (!sentHash || ++beats % (options.readEveryBeats ?? 12) === 0) return read();
        send({ type: "heartbeat", epoch, version, hash: sentHash, at: new Date().toISOString(), intervalMs: options.heartbeatMs });
      };
      const timer = setInterval(beat, options.heartbeatMs);
      timer.unref();
      read();
      return () => {
        ended = true;
        clearInterval(timer);
        off();
      };
    },

    follow(onEvent) {
      return bus.on(node, (notice) => notice.kind === "event" && onEvent(notice.event));
    },
  };
}
