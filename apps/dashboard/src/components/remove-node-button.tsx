"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../client/api";

/** Removes a node that was added in the UI (admin; audited). Configured and discovered nodes come back from their source. */
export function RemoveNodeButton({ name }: { name: string }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api.nodes.remove.mutate({ name }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["fleet"] }),
  });
  return (
    <>
      <button className="link" disabled={remove.isPending} onClick={() => window.confirm(`Remove node ${name} from the fleet?`) && remove.mutate()}>
        remove
      </button>
      {remove.isError && <span className="field-error" role="alert">{remove.error.message}</span>}
    </>
  );
}
