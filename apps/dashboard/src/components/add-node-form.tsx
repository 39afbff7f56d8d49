"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, fieldErrors } from "../client/api";

/** Adds an agent by URL (admin); each rejected field shows its message beside it. */
export function AddNodeForm() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", url: "", token: "" });
  const add = useMutation({
    mutationFn: () => api.nodes.add.mutate({ url: form.url, ...(form.name ? { name: form.name } : {}), ...(form.token ? { token: form.token } : {}) }),
    onSuccess: () => {
      setForm({ name: "", url: "", token: "" });
      void queryClient.invalidateQueries({ queryKey: ["fleet"] });
    },
  });
  const errors = add.isError ? fieldErrors(add.error) : {};
  const field = (key: keyof typeof form, label: string, placeholder: string, type = "text") => (
    <label>
      {label}
      <input name={key} type={type} placeholder={placeholder} value={form[key]} aria-invalid={!!errors[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
      {errors[key] && <span className="field-error" role="alert">{errors[key]}</span>}
    </label>
  );
  return (
    <details className="card">
      <summary>Add a node</summary>
      <form className="form" onSubmit={(e) => { e.preventDefault(); add.mutate(); }}>
        {field("url", "Agent URL", "http://10.0.0.5:9731 or unix:/run/netatlas/agent.sock")}
        {field("name", "Name (optional)", "node-a")}
        {field("token", "Read token (optional)", "kept on the server only", "password")}
        {errors.form && <span className="field-error" role="alert">{errors.form}</span>}
        <button type="submit" disabled={add.isPending}>Add node</button>
        {add.isSuccess && <span className="muted">Added {add.data.name}.</span>}
      </form>
    </details>
  );
}
