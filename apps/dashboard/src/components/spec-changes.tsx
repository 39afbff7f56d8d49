"use client";
import type { FieldChange } from "../fleet/spec-diff";

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** What one version changed, field by field. */
export function SpecChanges({ changes }: { changes: FieldChange[] }) {
  if (!changes.length) return <span className="muted">no change</span>;
  return (
    <ul className="changes">
      {changes.map((c) => (
        <li key={c.path} className="mono">
          <strong>{c.path}</strong>: {c.from === undefined ? <>added {show(c.to)}</> : c.to === undefined ? <>removed {show(c.from)}</> : <>{show(c.from)} → {show(c.to)}</>}
        </li>
      ))}
    </ul>
  );
}
