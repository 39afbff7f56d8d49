"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, fieldErrors } from "../client/api";
import type { ReconcileMode } from "@netatlas/agent-api";

/** The agent's drift mode, settable by an admin: observe reports drift, repair re-applies the kept intent by itself. */
export function ModeSelect({ node, mode }: { node: string; mode: ReconcileMode }) {
  const queryClient = useQueryClient();
  const set = useMutation({
    mutationFn: (next: ReconcileMode) => api.reconcile.setMode.mutate({ node, mode: next }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["drift"] }),
  });
  return (
    <>
      <select aria-label={`Mode of ${node}`} value={mode} disabled={set.isPending} onChange={(e) => set.mutate((e.target.value === "repair" ? "repair" : "observe"))}>
        <option value="observe">observe</option>
        <option value="repair">repair</option>
      </select>
      {set.isError && <span className="field-error" role="alert">{Object.values(fieldErrors(set.error)).join("; ")}</span>}
    </>
  );
}
