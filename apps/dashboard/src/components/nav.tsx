"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { api } from "../client/api";
import { useRole, useUser } from "../client/use-role";
import "./reconcile.css";

const PAGES = [
  ["/", "Fleet"],
  ["/topology", "Topology"],
  ["/docker", "Docker networks"],
  ["/pods", "Pods"],
  ["/trace", "Trace"],
  ["/reachability", "Reachability"],
  ["/findings", "Findings"],
  ["/history", "History"],
  ["/spec", "Fleet spec"],
  ["/plans", "Plans"],
  ["/drift", "Drift"],
  ["/audit", "Audit"],
  ["/users", "Users & tokens"],
] as const;

/** "admin", "viewer (read-only)", "alice (admin)", "bob (viewer, read-only)". */
function signedInAs(user: string | null, role: "admin" | "viewer"): string {
  const what = role === "viewer" ? "viewer, read-only" : role;
  return !user || user === role ? (role === "viewer" ? "viewer (read-only)" : role) : `${user} (${what})`;
}

export function Nav() {
  const path = usePathname();
  const router = useRouter();
  const role = useRole();
  const user = useUser();
  if (path === "/login") return null;
  return (
    <nav className="nav">
      <strong>netatlas</strong>
      {PAGES.map(([href, label]) => (
        <Link key={href} href={href} className={(href === "/" ? path === "/" : path.startsWith(href)) ? "active" : ""}>
          {label}
        </Link>
      ))}
      {role && <span className="muted role" data-testid="role">{signedInAs(user, role)}</span>}
      <button className="link" onClick={() => void api.auth.signOut.mutate().then(() => router.replace("/login"))}>
        Sign out
      </button>
    </nav>
  );
}
