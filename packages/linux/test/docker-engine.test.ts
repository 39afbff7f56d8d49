import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readDockerEngine } from "../src/index.js";

// The real dockerd is read in tools/lab's e2e tests; these cover what a real one rarely does on cue.
describe("readDockerEngine", () => {
  let server: Server | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function engine(routes: Record<string, unknown | "hang">): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), "netatlas-docker-"));
    const socket = join(dir, "docker.sock");
    server = createServer((req, res) => {
      const answer = routes[req.url ?? ""];
      if (answer === "hang") return;
      if (answer === undefined) return res.writeHead(404).end('{"message":"page not found"}');
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server?.listen(socket, resolve));
    return socket;
  }

  it("says there is no Docker when the socket does not exist", async () => {
    expect(await readDockerEngine("/nonexistent/docker.sock")).toBeNull();
  });

  it("lists containers and networks, then inspects each", async () => {
    const socket = await engine({ "/containers/json?all=1": [{ Id: "c1" }], "/networks": [{ Id: "n1" }], "/containers/c1/json": { Id: "c1", Name: "/web" }, "/networks/n1": { Id: "n1", Name: "bridge" } });
    expect(await readDockerEngine(socket)).toEqual({ containers: [{ Id: "c1", Name: "/web" }], networks: [{ Id: "n1", Name: "bridge" }] });
  });

  it("fails within its timeout, naming the request, when dockerd does not answer", async () => {
    const socket = await engine({ "/containers/json?all=1": [], "/networks": "hang" });
    const started = Date.now();
    await expect(readDockerEngine(socket, 300)).rejects.toThrow(/Docker API \/networks on .*docker\.sock: no answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("skips a container removed between the list and its inspect", async () => {
    const socket = await engine({ "/containers/json?all=1": [{ Id: "gone" }, { Id: "c1" }], "/networks": [], "/containers/c1/json": { Id: "c1" } });
    expect(await readDockerEngine(socket)).toEqual({ containers: [{ Id: "c1" }], networks: [] });
  });

  it("says what dockerd answered when it is not 200", async () => {
    const socket = await engine({ "/networks": [] });
    await expect(readDockerEngine(socket)).rejects.toThrow(/\/containers\/json\?all=1 .*HTTP 404: \{"message":"page not found"\}/);
  });
});
