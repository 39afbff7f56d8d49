import { metricsEndpoint } from "../../server/api/metrics-endpoint";
import { runtime } from "../../server/runtime";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return metricsEndpoint(await runtime(), req);
}
