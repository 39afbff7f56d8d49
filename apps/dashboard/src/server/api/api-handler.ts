import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Runtime } from "../runtime";
import { MAX_BATCH_SIZE } from "./batch-limit";
import { appRouter } from "./root";
import { createContext } from "./trpc";

/** Answers one HTTP request to the dashboard's API (`/api/trpc/…`). */
export function handleApiRequest(req: Request, rt: () => Promise<Runtime>): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: async ({ resHeaders }) => createContext(await rt(), { req, resHeaders }),
  });
}
