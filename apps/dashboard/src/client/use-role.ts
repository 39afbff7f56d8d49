"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";

function useAuthStatus() {
  return useQuery({ queryKey: ["auth-status"], queryFn: () => api.auth.status.query() });
}

/** The signed-in role; pages hide their change controls unless it is admin (the server refuses them anyway). */
export function useRole(): "admin" | "viewer" | null {
  return useAuthStatus().data?.role ?? null;
}

/** Who is signed in: a user's name, or "admin"/"viewer" for the accounts of the environment passwords. */
export function useUser(): string | null {
  return useAuthStatus().data?.user ?? null;
}
