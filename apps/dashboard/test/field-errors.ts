import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";

/** The rejected input's messages by field, as the browser's form gets them. */
export async function fieldErrors(call: Promise<unknown>): Promise<Record<string, string>> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof TRPCError) || !(error.cause instanceof ZodError)) throw new Error(`expected an input error, got ${String(error)}`);
  return Object.fromEntries(error.cause.issues.map((i) => [i.path.join("."), i.message]));
}
