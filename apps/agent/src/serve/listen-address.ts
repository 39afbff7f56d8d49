export type ListenAddress = { kind: "tcp"; host: string; port: number } | { kind: "unix"; path: string };

/** `127.0.0.1:7946`, `[::1]:7946`, `0.0.0.0:7946` or `unix:/run/netatlas/agent.sock`. */
export function parseListenAddress(text: string): ListenAddress {
  if (text.startsWith("unix:")) {
    const path = text.slice("unix:".length);
    if (!path.startsWith("/")) throw new Error(`--listen ${text}: a unix socket needs an absolute path, e.g. unix:/run/netatlas/agent.sock`);
    return { kind: "unix", path };
  }
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) throw new Error(`--listen ${text}: expected HOST:PORT (port 1-65535) or unix:/path`);
  return { kind: "tcp", host: (m[1] ?? m[2]) as string, port };
}

export function formatListenAddress(a: ListenAddress): string {
  return a.kind === "unix" ? `unix:${a.path}` : `${a.host.includes(":") ? `[${a.host}]` : a.host}:${a.port}`;
}
