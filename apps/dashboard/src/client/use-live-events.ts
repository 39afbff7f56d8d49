"use client";
import { useEffect, useState } from "react";
import type { AgentEvent } from "@netatlas/core";

const KEPT = 200;

export type LiveStatus = "connecting" | "live" | "reconnecting" | "closed";

/**
 * A node's agent events pushed over SSE (/api/events/NODE), newest first.
 * EventSource reconnects by itself and resumes after the last seq it got; a
 * stream the server refuses (signed out, node removed) stays closed.
 */
export function useLiveEvents(node: string): { events: AgentEvent[]; status: LiveStatus } {
  const [events, setEvents] = useState<AgentEvent[]>([]);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  useEffect(() => {
    setEvents([]);
    setStatus("connecting");
    const source = new EventSource(`/api/events/${encodeURIComponent(node)}`);
    source.onopen = () => setStatus("live");
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    source.addEventListener("agent-event", (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as AgentEvent;
      // A replay after an agent restart repeats what is shown: one row per (seq, time).
      setEvents((shown) => (shown.some((e) => e.seq === event.seq && e.at === event.at) ? shown : [event, ...shown].slice(0, KEPT)));
    });
    return () => source.close();
  }, [node]);
  return { events, status };
}
