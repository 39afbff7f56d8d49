import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Suspense } from "react";
import { Nav } from "../components/nav";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = { title: "netatlas", description: "Container networks of the fleet" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <Nav />
          <main>
            <Suspense fallback={<p className="loading">Loading…</p>}>{children}</Suspense>
          </main>
        </Providers>
      </body>
    </html>
  );
}
