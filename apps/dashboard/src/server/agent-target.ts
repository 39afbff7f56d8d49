import { z } from "zod";

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export const NodeName = z.string().regex(NODE_NAME, "a node name has 1-63 letters, digits, '.', '_' or '-' and starts with a letter or digit");

/** Where an agent answers: http(s)://host:port or unix:/absolute/path.sock. */
export const AgentUrl = z.string().superRefine((url, ctx) => {
  if (url.startsWith("unix:")) {
    if (!url.slice(5).startsWith("/")) ctx.addIssue({ code: "custom", message: `"${url}": a unix socket needs an absolute path (unix:/run/netatlas/agent.sock)` });
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    ctx.addIssue({ code: "custom", message: `"${url}" is not a URL (expected http://host:port, https://host:port or unix:/path.sock)` });
    return;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") ctx.addIssue({ code: "custom", message: `"${url}": only http://, https:// and unix: agents are supported` });
});

/** One agent as a person writes it in configuration or in the UI. */
export const AgentTargetInput = z
  .object({
    name: NodeName.optional(),
    url: AgentUrl,
    token: z.string().min(1, "token may not be empty; leave it out for an agent without tokens").max(512).optional(),
  })
  .strict();
export type AgentTargetInput = z.infer<typeof AgentTargetInput>;

export const AgentTarget = AgentTargetInput.extend({ name: NodeName, source: z.enum(["config", "ui", "kubernetes"]) });
export type AgentTarget = z.infer<typeof AgentTarget>;

/**
 * A node's name when none is given: the directory of its unix socket (the lab's
 * `<runDir>/<node>/agent.sock`), or the host of its URL.
 */
export function defaultNodeName(url: string): string {
  if (url.startsWith("unix:")) {
    const parts = url.slice(5).split("/").filter(Boolean);
    const file = parts.at(-1) ?? "agent";
    const dir = parts.at(-2);
    return (dir && /^agent(\.sock)?$/.test(file) ? dir : file.replace(/\.sock$/, "")).replace(/[^A-Za-z0-9._-]/g, "-");
  }
  return new URL(url).hostname.replace(/[^A-Za-z0-9._-]/g, "-");
}

/**
 * An agent URL as it may be shown on a page, in an error or in the audit log: without the
 * `user:password@` an http(s) URL may carry (the agent client sends only the origin, never those).
 */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1");
}

export function withName(input: AgentTargetInput, source: AgentTarget["source"]): AgentTarget {
  return { ...input, name: input.name ?? defaultNodeName(input.url), source };
}
