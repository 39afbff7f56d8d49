/**
 * Who wires the pod fabric between the lab's nodes. `netatlas`: netatlas's own
 * fabric, planned from a fleet spec and kept by the agents (`--backend` picks
 * VXLAN, host-gw or none). The others are brownfield fabrics that netatlas finds
 * already made and must understand without a fleet spec: `flannel` wires the
 * nodes as flanneld's VXLAN backend does, `host-gw-manual` as an admin with
 * `ip route add` would. The agents get no intent on those.
 */
export const LAB_FABRICS = ["netatlas", "flannel", "host-gw-manual"] as const;
export type LabFabric = (typeof LAB_FABRICS)[number];

export const LAB_BACKENDS = ["vxlan", "host-gw", "none"] as const;
export type LabBackend = (typeof LAB_BACKENDS)[number];

/** What carries pod traffic across nodes on each brownfield fabric: it has no other choice. */
const IMPLIED_BACKEND: Record<Exclude<LabFabric, "netatlas">, LabBackend> = { flannel: "vxlan", "host-gw-manual": "host-gw" };

export const DEFAULT_BACKEND: LabBackend = "vxlan";

/** A flag combination that makes no sense: the CLI exits 2 on it. */
export class LabUsageError extends Error {
  override name = "LabUsageError";
}

/**
 * The backend a lab of `fabric` runs. `--backend` chooses only for netatlas's
 * fabric; a brownfield fabric implies its own, and naming another is refused
 * rather than silently ignored.
 */
export function backendOf(fabric: LabFabric, backend: LabBackend | undefined): LabBackend {
  if (fabric === "netatlas") return backend ?? DEFAULT_BACKEND;
  const implied = IMPLIED_BACKEND[fabric];
  if (backend !== undefined && backend !== implied) {
    throw new LabUsageError(`--backend ${backend} contradicts --fabric ${fabric}, which is always ${implied}; leave --backend out (it chooses only for --fabric netatlas)`);
  }
  return implied;
}

export const fabricHelp = () =>
  [
    "who wires pod traffic between nodes:",
    "netatlas (its own fabric from a fleet spec, kept by the agents; --backend chooses vxlan, host-gw or none),",
    "flannel (as flanneld's VXLAN backend: flannel.1, VNI 1, port 8472; implies vxlan),",
    "host-gw-manual (plain `ip route add` via the peers' underlay addresses; implies host-gw)",
  ].join(" ");
