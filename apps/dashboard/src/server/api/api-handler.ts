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
    // Clients get the message only (isDev is off); a failure nobody meant keeps its stack here.
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`api ${path ?? "(unknown procedure)"}: ${error.stack ?? error.message}`);
    },
  });
}
