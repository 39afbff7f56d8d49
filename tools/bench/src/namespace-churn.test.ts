import { describe, expect, it } from "vitest";
import { NamespaceChurn } from "./namespace-churn.js";

const options = { perSecond: 100, lifetimeMs: 500, maxPool: 64, bridge: "cni0" };

/** Steps every 10 ms for `ms`, every namespace ready at once; all lines, in order. */
function drive(churn: NamespaceChurn, ms: number, ready: (netns: string) => boolean = () => true) {
  const all = { host: [] as string[], attach: [] as string[] };
  for (let t = 0; t <= ms; t += 10) {
    const steps = churn.step(t, ready);
    all.host.push(...steps.host);
    all.attach.push(...steps.attach);
  }
  return all;
}

describe("NamespaceChurn", () => {
  it("adds and deletes perSecond namespaces a second, half each, once the first have lived their lifetime", () => {
    const churn = new NamespaceChurn("nb-c", options);
    const lines = drive(churn, 10_000);
    const adds = lines.host.filter((l) => l.startsWith("netns add")).length;
    const deletes = lines.host.filter((l) => l.startsWith("netns delete")).length;
    expect(adds).toBe(500);
    expect(deletes).toBeGreaterThanOrEqual(470);
    expect(churn.changes).toBe(adds + deletes);
    expect(churn.remaining().length).toBe(adds - deletes);
  });

  it("joins a namespace to the bridge only once it is ready, and deletes it once, after its lifetime", () => {
    const churn = new NamespaceChurn("nb-c", options);
    const first = churn.step(20, () => false);
    expect(first.host).toEqual(["netns add nb-c-c0"]);
    expect(churn.step(30, () => false).attach).toEqual([]);
    expect(churn.step(40, () => true).attach).toEqual(["link add vc0 up master cni0 type veth peer name eth0 netns nb-c-c0"]);
    expect(churn.step(530, () => true).host).not.toContain("netns delete nb-c-c0");
    expect(churn.step(540, () => true).host).toContain("netns delete nb-c-c0");
    expect(drive(churn, 2_000).host).not.toContain("netns delete nb-c-c0");
  });

  it("keeps at most maxPool namespaces under way, even when none becomes ready", () => {
    const churn = new NamespaceChurn("nb-c", { ...options, maxPool: 8 });
    drive(churn, 5_000, () => false);
    expect(churn.remaining()).toHaveLength(8);
    expect(churn.attaches).toBe(0);
  });

  it("refuses a prefix that ip or a veth name could not carry", () => {
    expect(() => new NamespaceChurn("bad prefix;", options)).toThrow(/namespace prefix must be 1 to 20 letters, digits or "-", not "bad prefix;"/);
  });
});
