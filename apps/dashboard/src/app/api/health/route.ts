import { runtime } from "../../../server/runtime";

export const dynamic = "force-dynamic";

/** Readiness for probes: the database is open and the poller runs; which replica answers and how many agents it leads; what its last round of polls cost; how many nodes' newest state is not in the history yet. */
export async function GET() {
  try {
    const rt = await runtime();
    return Response.json({ status: "ok", database: rt.database.kind, agents: rt.poller.targets().length, replica: { id: rt.replicaId, leads: rt.leadership.ledCount() }, lastPollRound: rt.poller.lastRound() ?? null, historyBacklog: rt.poller.historyBacklog() });
  } catch (error) {
    return Response.json({ status: "error", message: (error as Error).message }, { status: 503 });
  }
}
