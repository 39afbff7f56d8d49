"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";

/** The signed-in role; pages hide their change controls unless it is admin (the server refuses them anyway). */
export function useRole(): "admin" | "viewer" | null {
  const status = useQuery({ queryKey: ["auth-status"], queryFn: () => api.auth.status.query() });
  return status.data?.role ?? null;
}
