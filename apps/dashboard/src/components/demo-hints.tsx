"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { api } from "../client/api";
import { CopyButton } from "./copy-button";

const DISMISSED = "netatlas.demoHints.dismissed";

/** On the demo lab's Fleet page: the lab's faults to try and where each shows; hidden for good (in this browser) once dismissed. */
export function DemoHints() {
  const hints = useQuery({ queryKey: ["fleet-demo"], queryFn: () => api.fleet.demo.query(), staleTime: Infinity });
  // localStorage exists only in the browser: read after the first render, so server and client render the same.
  const [dismissed, setDismissed] = useState<string | null>("");
  useEffect(() => setDismissed(window.localStorage.getItem(DISMISSED)), []);
  const demo = hints.data;
  if (!demo || dismissed === "" || dismissed === demo.prefix) return null;
  const dismiss = () => {
    window.localStorage.setItem(DISMISSED, demo.prefix);
    setDismissed(demo.prefix);
  };
  return (
    <details className="card demo-hints" open data-testid="demo-hints">
      <summary>
        What to try: this is the demo lab <code>{demo.prefix}</code>; break something and watch it show
        <button className="link" onClick={dismiss}>dismiss</button>
      </summary>
      <p className="muted">Run a fault from the repository, as root (each takes <code>--target node2</code> or <code>node2/POD</code> too):</p>
      <table>
        <thead><tr><th>Fault</th><th>What it breaks</th><th>Command</th><th>Where it shows</th></tr></thead>
        <tbody>
          {demo.faults.map((f) => (
            <tr key={f.kind} data-fault={f.kind}>
              <td className="mono">{f.kind}</td>
              <td>{f.what}</td>
              <td className="mono">{f.command} <CopyButton text={f.command} /></td>
              <td>{f.where.map((w, i) => <span key={w.page}>{i > 0 && ", "}<Link href={w.href}>{w.page}</Link></span>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">To start over: stop the demo (Ctrl-C), then <code>{demo.reset}</code></p>
    </details>
  );
}
