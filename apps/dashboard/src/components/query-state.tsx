"use client";
import type { UseQueryResult } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { isUnauthorized } from "../client/api";

/** Loading, error (with retry) and the data, the same way on every page; a lost session goes to sign-in. */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const router = useRouter();
  const unauthorized = query.isError && isUnauthorized(query.error);
  useEffect(() => {
    if (unauthorized) router.replace(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }, [unauthorized, router]);
  if (query.isPending) return <p className="loading" role="status">Loading…</p>;
  if (query.isError)
    return (
      <div className="error" role="alert">
        <p>{unauthorized ? "Your session has ended; taking you to sign-in…" : query.error.message}</p>
        {!unauthorized && <button onClick={() => void query.refetch()}>Retry</button>}
      </div>
    );
  return <>{children(query.data)}</>;
}
