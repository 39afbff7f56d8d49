/** Starts the database and the fleet poller when the server starts, not at the first request. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { tagPeerAddresses } = await import("./server/http/client-address");
  tagPeerAddresses();
  const { runtime } = await import("./server/runtime");
  await runtime();
}
