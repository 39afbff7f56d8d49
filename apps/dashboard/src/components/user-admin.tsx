"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, fieldErrors } from "../client/api";
import { QueryState } from "./query-state";

type Role = "admin" | "viewer";

/** Named users (admin): add with a password, change the role, remove (their sessions end, their tokens are revoked). */
export function UserAdmin() {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ["users"], queryFn: () => api.users.list.query() });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["users"] });
    void queryClient.invalidateQueries({ queryKey: ["api-tokens"] });
  };
  const [form, setForm] = useState({ name: "", password: "", role: "viewer" as Role });
  const add = useMutation({
    mutationFn: () => api.users.add.mutate(form),
    onSuccess: () => {
      setForm({ name: "", password: "", role: "viewer" });
      refresh();
    },
  });
  const setRole = useMutation({ mutationFn: (input: { name: string; role: Role }) => api.users.setRole.mutate(input), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (name: string) => api.users.remove.mutate({ name }), onSuccess: refresh });
  const errors = add.isError ? fieldErrors(add.error) : {};
  const changeError = setRole.error ?? remove.error;
  return (
    <section>
      <h2>Users</h2>
      <p className="muted">
        Besides these, the environment passwords sign in as <code>admin</code> (NETATLAS_ADMIN_PASSWORD) and <code>viewer</code> (NETATLAS_VIEWER_PASSWORD). On the server:{" "}
        <code>netatlas-dashboard users add NAME --role viewer</code> (password on stdin).
      </p>
      <QueryState query={users}>
        {(list) => (
          <table data-testid="users">
            <thead><tr><th>Name</th><th>Role</th><th>Added</th><th /></tr></thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.name} data-user={u.name}>
                  <td>{u.name}</td>
                  <td>
                    <select aria-label={`Role of ${u.name}`} value={u.role} disabled={setRole.isPending} onChange={(e) => setRole.mutate({ name: u.name, role: e.target.value as Role })}>
                      <option value="admin">admin</option>
                      <option value="viewer">viewer</option>
                    </select>
                  </td>
                  <td>{new Date(u.createdAt).toLocaleString()}</td>
                  <td><button className="link" disabled={remove.isPending} onClick={() => window.confirm(`Remove ${u.name}? Their sessions end and their API tokens are revoked.`) && remove.mutate(u.name)}>remove</button></td>
                </tr>
              ))}
              {!list.length && <tr><td colSpan={4} className="muted">No named users yet.</td></tr>}
            </tbody>
          </table>
        )}
      </QueryState>
      {changeError && <p className="field-error" role="alert">{changeError.message}</p>}
      <details className="card">
        <summary>Add a user</summary>
        <form className="form" onSubmit={(e) => { e.preventDefault(); add.mutate(); }}>
          <label>
            Name
            <input name="name" autoComplete="off" placeholder="alice" value={form.name} aria-invalid={!!errors.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            {errors.name && <span className="field-error" role="alert">{errors.name}</span>}
          </label>
          <label>
            Password (at least 8 characters; stored as a scrypt hash)
            <input name="password" type="password" autoComplete="new-password" value={form.password} aria-invalid={!!errors.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
            {errors.password && <span className="field-error" role="alert">{errors.password}</span>}
          </label>
          <label>
            Role
            <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              <option value="viewer">viewer (read-only)</option>
              <option value="admin">admin (changes things)</option>
            </select>
          </label>
          {errors.form && <span className="field-error" role="alert">{errors.form}</span>}
          <button type="submit" disabled={add.isPending}>Add user</button>
          {add.isSuccess && <span className="muted">Added {add.data.name}.</span>}
        </form>
      </details>
    </section>
  );
}
