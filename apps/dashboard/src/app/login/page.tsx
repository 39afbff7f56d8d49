"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { api, fieldErrors } from "../../client/api";
import { QueryState } from "../../components/query-state";

/** Sign-in, or setting the admin password on first start. */
export default function LoginPage() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const next = useSearchParams().get("next") ?? "/";
  const status = useQuery({ queryKey: ["auth"], queryFn: () => api.auth.status.query() });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const submit = useMutation({
    mutationFn: (setup: boolean) => (setup ? api.auth.setup.mutate({ password }) : api.auth.signIn.mutate({ password, ...(name.trim() ? { name: name.trim() } : {}) })),
    // Everything cached so far was asked without a session (the nav's role among it): ask again.
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      router.replace(next.startsWith("/") && !next.startsWith("//") ? next : "/");
    },
  });
  const errors = submit.isError ? fieldErrors(submit.error) : {};
  return (
    <QueryState query={status}>
      {(s) => (
        <form
          className="form card"
          onSubmit={(e) => {
            e.preventDefault();
            submit.mutate(s.needsSetup);
          }}
        >
          <h1>{s.needsSetup ? "Set the admin password" : "Sign in to netatlas"}</h1>
          {s.needsSetup && <p className="muted">No admin password is configured (NETATLAS_ADMIN_PASSWORD). Choose one now; it is stored hashed.</p>}
          {!s.needsSetup && (
            <label>
              User name (leave empty for the admin or viewer password)
              <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name} />
              {errors.name && <span className="field-error" role="alert">{errors.name}</span>}
            </label>
          )}
          <label>
            {s.needsSetup ? "Admin password" : "Password"}
            <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={!!errors.password} autoFocus />
            {(errors.password ?? errors.form) && <span className="field-error" role="alert">{errors.password ?? errors.form}</span>}
          </label>
          <button type="submit" disabled={submit.isPending}>
            {s.needsSetup ? "Set password and sign in" : "Sign in"}
          </button>
        </form>
      )}
    </QueryState>
  );
}
