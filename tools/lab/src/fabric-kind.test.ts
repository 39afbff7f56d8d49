import { describe, expect, it } from "vitest";
import { backendOf, LabUsageError } from "./fabric-kind.js";

describe("backendOf", () => {
  it("lets --backend choose for netatlas's fabric, vxlan when left out", () => {
    expect(backendOf("netatlas", undefined)).toBe("vxlan");
    expect(backendOf("netatlas", "host-gw")).toBe("host-gw");
    expect(backendOf("netatlas", "none")).toBe("none");
  });

  it("gives a brownfield fabric the backend it implies, also when --backend names the same", () => {
    expect(backendOf("flannel", undefined)).toBe("vxlan");
    expect(backendOf("flannel", "vxlan")).toBe("vxlan");
    expect(backendOf("host-gw-manual", undefined)).toBe("host-gw");
    expect(backendOf("host-gw-manual", "host-gw")).toBe("host-gw");
  });

  it("refuses a --backend that contradicts a brownfield fabric, naming both flags", () => {
    expect(() => backendOf("flannel", "none")).toThrow(LabUsageError);
    expect(() => backendOf("host-gw-manual", "vxlan")).toThrow("--backend vxlan contradicts --fabric host-gw-manual, which is always host-gw");
  });
});
