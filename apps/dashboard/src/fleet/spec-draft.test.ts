import { describe, expect, it } from "vitest";
import { getField, otherSections, setField } from "./spec-draft";

describe("spec draft editing", () => {
  it("sets and removes nested fields without touching sections the form does not know", () => {
    const draft = { backend: { type: "vxlan" }, nodes: [{ name: "a" }, { name: "b" }], docker: { networks: [] } };
    const a = setField(draft, "backend.vni", 42);
    expect(getField(a, "backend.vni")).toBe(42);
    expect(draft.backend).toEqual({ type: "vxlan" });
    expect(setField(a, "nodes.0.underlayIp", "10.0.0.1").nodes).toEqual([{ name: "a", underlayIp: "10.0.0.1" }, { name: "b" }]);
    expect(setField(a, "nodes.0", undefined).nodes).toEqual([{ name: "b" }]);
    expect(setField(a, "backend.vni", undefined).backend).toEqual({ type: "vxlan" });
    expect(otherSections(a)).toEqual(["docker"]);
  });
});
