import { afterEach, describe, expect, it } from "vitest";
import { readDockerEngine } from "../src/index.js";
import { fakeDockerd, type FakeDockerd } from "../src/testing/index.js";

// The real dockerd is read in tools/lab's e2e tests; these cover what a real one rarely does on cue.
describe("readDockerEngine", () => {
  let dockerd: FakeDockerd | undefined;
  afterEach(async () => dockerd?.close());

  async function engine(routes: Record<string, unknown | "hang">): Promise<string> {
    dockerd = await fakeDockerd(({ url }) => {
      const answer = routes[url];
      if (answer === "hang") return undefined;
      if (answer === undefined) return { status: 404, json: { message: "page not found" } };
      return { status: 200, json: answer };
    });
    return dockerd.socket;
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
