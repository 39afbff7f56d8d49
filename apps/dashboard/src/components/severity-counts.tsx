import type { Severity } from "@netatlas/core";

const ORDER: Severity[] = ["critical", "error", "warning", "info"];

export function SeverityCounts({ counts }: { counts: Record<Severity, number> }) {
  const shown = ORDER.filter((s) => counts[s] > 0);
  if (!shown.length) return <span className="muted">none</span>;
  return (
    <span>
      {shown.map((s) => (
        <span key={s} className={`sev-${s}`} title={s}>
          {counts[s]} {s}{" "}
        </span>
      ))}
    </span>
  );
}
