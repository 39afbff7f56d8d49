"use client";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { api } from "../client/api";

/** Chooses one node or the whole fleet; the choice lives in the URL (?node=) so views are linkable. */
export function NodePicker({ allowFleet = true }: { allowFleet?: boolean }) {
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const overview = useQuery({ queryKey: ["fleet"], queryFn: () => api.fleet.overview.query() });
  const value = params.get("node") ?? "";
  return (
    <select
      aria-label="Node"
      value={value}
      onChange={(e) => {
        const next = new URLSearchParams(params);
        if (e.target.value) next.set("node", e.target.value);
        else next.delete("node");
        router.replace(`${path}?${next.toString()}`);
      }}
    >
      {allowFleet ? <option value="">whole fleet</option> : <option value="">choose a node…</option>}
      {overview.data?.rows.map((r) => <option key={r.name} value={r.name}>{r.name}</option>)}
    </select>
  );
}

export function useNodeParam(): string | undefined {
  return useSearchParams().get("node") || undefined;
}
