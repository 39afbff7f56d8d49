"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, fieldErrors } from "../client/api";
import { CopyButton } from "./copy-button";
import { QueryState } from "./query-state";

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

/** A person's API tokens (an admin sees everyone's): make one (shown once), see when each was last used, revoke. */
export function ApiTokens({ role, user }: { role: "admin" | "viewer"; user: string }) {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ["api-tokens"], queryFn: () => api.tokens.list.query() });
  const [form, setForm] = useState({ name: "", role, expiresInDays: "" });
  const create = useMutation({
    mutationFn: () => api.tokens.create.mutate({ name: form.name, role: form.role, ...(form.expiresInDays ? { expiresInDays: Number(form.expiresInDays) } : {}) }),
    onSuccess: () => {
      setForm({ name: "", role, expiresInDays: "" });
      void queryClient.invalidateQueries({ queryKey: ["api-tokens"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api.tokens.revoke.mutate({ id }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["api-tokens"] }),
  });
  const errors = create.isError ? fieldErrors(create.error) : {};
  const made = create.data;
  return (
    <section>
      <h2>API tokens</h2>
      <p className="muted">
        For the <code>netatlas</code> CLI and scripts: <code>Authorization: Bearer na_…</code> on <code>/api/trpc</code>. A token acts as {user} in the role it was made with (at most yours);
        only its hash is kept, so it is shown once.
      </p>
      {made && (
        <div className="card token-once" role="status" data-testid="new-token">
          <strong>Token &quot;{made.name}&quot; ({made.role}{made.expiresAt ? `, until ${day(made.expiresAt)}` : ""}): copy it now, it is not shown again.</strong>
          <div className="mono token-value">{made.token} <CopyButton text={made.token} /></div>
        </div>
      )}
      <details className="card">
        <summary>Make a token</summary>
        <form className="form" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
          <label>
            Name
            <input name="name" placeholder="ci-bot, laptop" value={form.name} aria-invalid={!!errors.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            {errors.name && <span className="field-error" role="alert">{errors.name}</span>}
          </label>
          <label>
            Role
            <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as "admin" | "viewer" })}>
              {role === "admin" && <option value="admin">admin (changes things)</option>}
              <option value="viewer">viewer (read-only)</option>
            </select>
            {errors.role && <span className="field-error" role="alert">{errors.role}</span>}
          </label>
          <label>
            Expires after (days; empty: until revoked)
            <input name="expiresInDays" type="number" min={1} max={3650} value={form.expiresInDays} aria-invalid={!!errors.expiresInDays} onChange={(e) => setForm({ ...form, expiresInDays: e.target.value })} />
            {errors.expiresInDays && <span className="field-error" role="alert">{errors.expiresInDays}</span>}
          </label>
          {errors.form && <span className="field-error" role="alert">{errors.form}</span>}
          <button type="submit" disabled={create.isPending}>Make token</button>
        </form>
      </details>
      <QueryState query={tokens}>
        {(list) => (
          <table data-testid="api-tokens">
            <thead><tr><th>Name</th>{role === "admin" && <th>User</th>}<th>Role</th><th>Made</th><th>Expires</th><th>Last used</th><th>State</th><th /></tr></thead>
            <tbody>
              {list.map((t) => (
                <tr key={t.id} data-token={t.name}>
                  <td>{t.name}</td>{role === "admin" && <td>{t.user}</td>}<td>{t.role}</td><td>{day(t.createdAt)}</td><td>{t.expiresAt ? day(t.expiresAt) : "never"}</td><td>{day(t.lastUsedAt)}</td>
                  <td className={t.state === "active" ? "status-up" : "muted"}>{t.state}{t.revokedAt ? ` ${day(t.revokedAt)}` : ""}</td>
                  <td>{t.state === "active" && <button className="link" disabled={revoke.isPending} onClick={() => window.confirm(`Revoke token "${t.name}" of ${t.user}? Whatever uses it stops working at once.`) && revoke.mutate(t.id)}>revoke</button>}</td>
                </tr>
              ))}
              {!list.length && <tr><td colSpan={8} className="muted">No tokens yet.</td></tr>}
            </tbody>
          </table>
        )}
      </QueryState>
      {revoke.isError && <p className="field-error" role="alert">{revoke.error.message}</p>}
    </section>
  );
}
