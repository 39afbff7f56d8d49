import { describe, expect, it } from "vitest";
import { displayUrl } from "./agent-target";

describe("displayUrl", () => {
  it("leaves out the user and password of an http(s) agent URL", () => {
    expect(displayUrl("http://user:pass@10.0.0.5:9731")).toBe("http://10.0.0.5:9731");
    expect(displayUrl("https://ops@edge.example:9731/x?y=1")).toBe("https://edge.example:9731/x?y=1");
    expect(displayUrl("http://us%40er:p@ss@[fd00::1]:9731")).toBe("http://[fd00::1]:9731");
  });

  it("keeps a URL without credentials as it is written", () => {
    expect(displayUrl("http://10.0.0.5:9731")).toBe("http://10.0.0.5:9731");
    expect(displayUrl("unix:/run/netatlas/agent.sock")).toBe("unix:/run/netatlas/agent.sock");
    // An @ after the authority is no password.
    expect(displayUrl("http://10.0.0.5:9731/a@b")).toBe("http://10.0.0.5:9731/a@b");
  });
});
