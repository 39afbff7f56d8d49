"use client";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { MAX_BATCH_SIZE } from "../server/api/batch-limit";
import type { AppRouter } from "../server/api/root";

/** The browser's client for the dashboard's own API (never an agent's). */
export const api = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", maxItems: MAX_BATCH_SIZE })] });

/** Field-by-field messages from a rejected input, keyed by the input's field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: Record<string, string> } | undefined;
    if (data?.fieldErrors) return data.fieldErrors;
    const m = /^(\w+): (.*)$/.exec(error.message);
    if (m?.[1] && m[2]) return { [m[1]]: m[2] };
    return { form: error.message };
  }
  return { form: error instanceof Error ? error.message : String(error) };
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "UNAUTHORIZED";
}
