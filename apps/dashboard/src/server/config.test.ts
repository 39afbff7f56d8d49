import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

describe("dashboard configuration", () => {
  it("reads agents from NETATLAS_AGENTS and names unnamed ones by their socket's directory or host", () => {
    const config = loadConfig({ NETATLAS_AGENTS: JSON.stringify([{ url: "unix:/run/lab/node1/agent.sock", token: "t1" }, { url: "http://10.0.0.5:9731" }, { name: "edge", url: "https://edge.example:9731" }]) });
    expect(config.agents.map((a) => [a.name, a.url, a.token, a.source])).toEqual([
      ["node1", "unix:/run/lab/node1/agent.sock", "t1", "config"],
      ["10.0.0.5", "http://10.0.0.5:9731", undefined, "config"],
      ["edge", "https://edge.example:9731", undefined, "config"],
    ]);
    expect(config).toMatchObject({ pollIntervalMs: 5_000, agentTimeoutMs: 4_000, agentMaxAnswerBytes: 32 * 1024 * 1024, concurrency: 8, retentionDays: 14, auditRetentionDays: 90, trustedProxies: [] });
  });

  it("reads agents from a file given by NETATLAS_AGENTS_FILE", () => {
    const config = loadConfig({ NETATLAS_AGENTS_FILE: "/etc/agents.json" }, (path) => (path === "/etc/agents.json" ? '[{"name":"a","url":"unix:/a.sock"}]' : ""));
    expect(config.agents.map((a) => a.name)).toEqual(["a"]);
  });

  it("names the agent and the field that is wrong", () => {
    expect(() => loadConfig({ NETATLAS_AGENTS: '[{"url":"ftp://x"}]' })).toThrow(/NETATLAS_AGENTS: agents\.0\.url: "ftp:\/\/x": only http:\/\/, https:\/\/ and unix: agents are supported/);
    expect(() => loadConfig({ NETATLAS_AGENTS: '[{"url":"unix:relative.sock"}]' })).toThrow(/agents\.0\.url: .*absolute path/);
    expect(() => loadConfig({ NETATLAS_AGENTS: '[{"url":"http://a:1","tokn":"x"}]' })).toThrow(/agents\.0: .*tokn/);
    expect(() => loadConfig({ NETATLAS_AGENTS: "[{url:1}]" })).toThrow(/NETATLAS_AGENTS is not JSON/);
  });

  it("keeps an agent's admin token apart from the target it polls with", () => {
    const config = loadConfig({ NETATLAS_AGENTS: '[{"name":"n1","url":"unix:/a.sock","token":"read","adminToken":"admin"},{"url":"unix:/x/n2/agent.sock"}]', NETATLAS_AGENT_SERVICE: "netatlas/agent", NETATLAS_AGENT_ADMIN_TOKEN: "k8s-admin" });
    expect(config.agents[0]).toEqual({ name: "n1", url: "unix:/a.sock", token: "read", source: "config" });
    expect(config.adminTokens).toEqual({ n1: "admin" });
    expect(config.kubernetes?.adminToken).toBe("k8s-admin");
    expect(() => loadConfig({ NETATLAS_AGENTS: '[{"url":"unix:/a.sock","adminToken":""}]' })).toThrow(/agents\.0\.adminToken: adminToken may not be empty/);
  });

  it("refuses two agents with the same name", () => {
    expect(() => loadConfig({ NETATLAS_AGENTS: '[{"url":"unix:/x/n1/agent.sock"},{"url":"unix:/y/n1/agent.sock"}]' })).toThrow(/two agents are named "n1"/);
  });

  it("names the variable whose number or URL is wrong", () => {
    expect(() => loadConfig({ NETATLAS_POLL_INTERVAL_MS: "fast" })).toThrow(/NETATLAS_POLL_INTERVAL_MS: NETATLAS_POLL_INTERVAL_MS must be a number/);
    expect(() => loadConfig({ NETATLAS_POLL_CONCURRENCY: "0" })).toThrow(/NETATLAS_POLL_CONCURRENCY must be at least 1/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must start with postgres:\/\//);
    expect(() => loadConfig({ NETATLAS_ADMIN_PASSWORD: "short" })).toThrow(/NETATLAS_ADMIN_PASSWORD needs at least 8 characters/);
    expect(() => loadConfig({ NETATLAS_AGENTS_FILE: "/nope.json" }, () => { throw new Error("ENOENT"); })).toThrow(/NETATLAS_AGENTS_FILE: cannot read \/nope.json: ENOENT/);
  });

  it("reads trusted proxies as CIDRs, and names the entry that is not one", () => {
    expect(loadConfig({ NETATLAS_TRUSTED_PROXIES: "10.0.0.2, 10.1.0.0/16,fd00::1" }).trustedProxies).toEqual(["10.0.0.2/32", "10.1.0.0/16", "fd00::1/128"]);
    expect(() => loadConfig({ NETATLAS_TRUSTED_PROXIES: "10.0.0.2, proxy.local" })).toThrow(/NETATLAS_TRUSTED_PROXIES: "proxy.local" is not an IP address; expected addresses or CIDRs/);
    expect(() => loadConfig({ NETATLAS_AUDIT_RETENTION_DAYS: "0" })).toThrow(/NETATLAS_AUDIT_RETENTION_DAYS must be at least 1/);
  });
});
