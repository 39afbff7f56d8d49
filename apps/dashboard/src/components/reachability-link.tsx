"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { api } from "../client/api";

/** "2 of 6 node pairs fail", linking to the Reachability page (the Fleet and Findings pages show it). */
export function ReachabilityLink() {
  const summary = useQuery({ queryKey: ["reachability-summary"], queryFn: () => api.reachability.summary.query(), refetchInterval: 5_000 });
  const s = summary.data;
  if (!s) return null;
  const uncertain = s.uncertain ? `, ${s.uncertain} uncertain` : "";
  return (
    <p data-testid="reachability-link">
      <Link href="/reachability" className={s.failed ? "status-down" : undefined}>
        {s.pairs ? `${s.failed} of ${s.pairs} node pairs fail${uncertain}` : "no node pairs to check yet"}
      </Link>
      <span className="muted"> — whose pods reach whose, on the Reachability page</span>
    </p>
  );
}
