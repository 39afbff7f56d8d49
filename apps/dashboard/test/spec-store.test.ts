import { FleetSpec } from "@netatlas/core";
import { describe, expect, it } from "vitest";
import { useMigratedPglite } from "./migrated-pglite";
import { saveSpec } from "../src/server/reconcile/spec-store";

const nodes = [{ name: "node1", underlayIp: "192.168.50.11" }, { name: "node2", underlayIp: "192.168.50.12" }];
const podsOnly = FleetSpec.parse({ podCidr: "10.244.0.0/16", backend: { type: "host-gw" }, nodes });
const withDocker = FleetSpec.parse({ ...podsOnly, docker: { range: "10.30.0.0/16", hosts: ["node1", "node2"], networks: [{ name: "app" }] } });

/** Spec versions on PGlite: which Docker subnets a new version keeps. */
describe("saveSpec", () => {
  const database = useMigratedPglite("netatlas-spec-store-");

  it("keeps the subnets dockerd already has when a docker section is added to an existing spec", async () => {
    // node2 already runs `app` on 10.30.7.0/24 (containers on it): a different subnet would mean a disruptive replace.
    const dockerNow = { app: { node2: "10.30.7.0/24" }, bridge: { node2: "172.17.0.0/16" } };
    await saveSpec(database().db, podsOnly, "admin", null, dockerNow);
    const v2 = await saveSpec(database().db, withDocker, "admin", 1, dockerNow);
    expect(v2.dockerAllocation).toEqual({ app: { node1: "10.30.0.0/24", node2: "10.30.7.0/24" } });
    // From then on the versions carry it, whatever dockerd has.
    const v3 = await saveSpec(database().db, { ...withDocker, masquerade: false }, "admin", 2, { app: { node2: "10.30.9.0/24" } });
    expect(v3.dockerAllocation).toEqual(v2.dockerAllocation);
  });
});
