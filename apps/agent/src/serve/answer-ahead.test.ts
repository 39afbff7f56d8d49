import { describe, expect, it } from "vitest";
import { ANSWER_AHEAD_AFTER_MS } from "@netatlas/agent-api";
import { UNDER_CHURN_MS } from "./live-node.js";

describe("answers made ahead on a churning node", () => {
  it("are not made: its states (one every UNDER_CHURN_MS) do not last until an answer is made ahead", () => {
    expect(ANSWER_AHEAD_AFTER_MS).toBeGreaterThan(UNDER_CHURN_MS);
  });
});
