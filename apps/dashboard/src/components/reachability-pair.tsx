"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "../client/api";
import type { CellVerification } from "../fleet/cell-verification";
import { probeText, verifyMark } from "../fleet/reachability-view";
import { TracePathView } from "./trace-path";

const STATE_CLASS = { delivered: "status-up", failed: "status-down", uncertain: "status-stale", "no-endpoint": "muted" } as const;
const MARK_TEXT = { agree: "agrees", disagree: "DISAGREES: a netatlas bug, or kernel state the snapshot does not read", "not-probed": "not probed", outdated: "answered an older state" } as const;

/**
 * One pair of the matrix: its state and why, the hop that decided it, the probe's answer
 * once verified, and its trace between the same two endpoints drawn on the topology (the
 * Trace page's own views), the deciding hop lit on the failing way.
 */
export function ReachabilityPair({ from, to, verification, version }: { from: string; to: string; verification?: CellVerification; version: string }) {
  // The grid's rows name the state it was drawn from: a new state asks for the pair again.
  const pair = useQuery({ queryKey: ["reachability-pair", from, to, version], queryFn: () => api.reachability.pair.query({ from, to }), placeholderData: (previous, query) => (query?.queryKey[1] === from && query.queryKey[2] === to ? previous : undefined) });
  if (pair.isError) return <p className="error" role="alert">{pair.error.message}</p>;
  if (!pair.data) return <p className="loading" role="status">Tracing {from} → {to}…</p>;
  const { cell, trace } = pair.data;
  const mark = verifyMark(verification, cell.state);
  return (
    <section className="card" data-testid="pair" data-state={cell.state}>
      <h2>{from} → {to}</h2>
      <p data-testid="pair-message">
        <strong className={STATE_CLASS[cell.state]}>{cell.state}</strong> {cell.message}
      </p>
      {cell.source && cell.destination && (
        <p className="muted">
          From {cell.source.kind} {cell.source.name} ({cell.source.ip}) to {cell.destination.kind} {cell.destination.name} ({cell.destination.ip}), an ICMP echo of {trace?.packetSize ?? "?"} bytes{cell.by === "composed" ? "; its parts were shown by traces of other pairs, the trace below is its own" : ""}.
        </p>
      )}
      {cell.hop && (
        <p data-testid="deciding-hop">
          Decided on the {cell.leg === "reply" ? "reply" : "request"}'s way at {cell.hop.node}, {cell.hop.netns.label}: <span className="mono">{cell.hop.action}</span> — <span className="mono">{cell.hop.rule}</span>
          {cell.hop.detail && <span className="muted"> ({cell.hop.detail})</span>}
        </p>
      )}
      {verification && (
        <p data-testid="pair-probe" data-mark={mark}>
          Probe at {new Date(verification.at).toLocaleTimeString()}: {probeText(verification)} — <strong className={mark === "disagree" ? "status-disagree" : mark === "agree" ? "status-up" : "muted"}>{mark ? MARK_TEXT[mark] : ""}</strong>
          <span className="muted"> {verification.message}</span>
        </p>
      )}
      {trace && (
        <>
          <TracePathView title="Path" path={trace.forward} />
          {trace.reverse && <TracePathView title="Reply path" path={trace.reverse} />}
        </>
      )}
    </section>
  );
}
