import { get } from "node:http";

/** Counters from an agent's /metrics on its unix socket (open there, its file mode guarding it), by name; a counter it does not show is absent. */
export function agentMetrics(socket: string, names: readonly string[]): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    get({ socketPath: socket, path: "/metrics" }, (answer) => {
      let text = "";
      answer.on("data", (chunk: Buffer) => (text += chunk.toString()));
      answer.on("end", () => {
        if (answer.statusCode !== 200) return reject(new Error(`the agent answered /metrics on ${socket} with ${answer.statusCode}`));
        const found = new Map<string, number>();
        for (const name of names) {
          const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
          if (m) found.set(name, Number(m[1]));
        }
        resolve(found);
      });
    }).on("error", reject);
  });
}
