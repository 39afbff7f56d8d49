"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { api } from "../client/api";
import { useRole } from "../client/use-role";
import "./reconcile.css";

const PAGES = [
  ["/", "Fleet"],
  ["/topology", "Topology"],
  ["/docker", "Docker networks"],
  ["/pods", "Pods"],
  ["/trace", "Trace"],
  ["/findings", "Findings"],
  ["/history", "History"],
  ["/spec", "Fleet spec"],
  ["/plans", "Plans"],
  ["/drift", "Drift"],
  ["/audit", "Audit"],
] as const;

export function Nav() {
  const path = usePathname();
  const router = useRouter();
  const role = useRole();
  if (path === "/login") return null;
  return (
    <nav className="nav">
      <strong>netatlas</strong>
      {PAGES.map(([href, label]) => (
        <Link key={href} href={href} className={(href === "/" ? path === "/" : path.startsWith(href)) ? "active" : ""}>
          {label}
        </Link>
      ))}
      {role && <span className="muted role" data-testid="role">{role === "viewer" ? "viewer (read-only)" : role}</span>}
      <button className="link" onClick={() => void api.auth.signOut.mutate().then(() => router.replace("/login"))}>
        Sign out
      </button>
    </nav>
  );
}
