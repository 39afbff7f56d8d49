"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { api } from "../client/api";

const PAGES = [
  ["/", "Fleet"],
  ["/topology", "Topology"],
  ["/docker", "Docker networks"],
  ["/pods", "Pods"],
  ["/trace", "Trace"],
  ["/findings", "Findings"],
  ["/history", "History"],
] as const;

export function Nav() {
  const path = usePathname();
  const router = useRouter();
  if (path === "/login") return null;
  return (
    <nav className="nav">
      <strong>netatlas</strong>
      {PAGES.map(([href, label]) => (
        <Link key={href} href={href} className={(href === "/" ? path === "/" : path.startsWith(href)) ? "active" : ""}>
          {label}
        </Link>
      ))}
      <button className="link" onClick={() => void api.auth.signOut.mutate().then(() => router.replace("/login"))}>
        Sign out
      </button>
    </nav>
  );
}
