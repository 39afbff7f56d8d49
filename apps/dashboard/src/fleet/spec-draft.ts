/** The editor's spec: plain JSON, so sections the form does not know (added by newer specs) are kept as they are. */
export type SpecDraft = Record<string, unknown>;

/** The pod fabric's fields with their usual values; a fleet of plain Docker hosts has none of them. */
const POD_FABRIC: SpecDraft = { podCidr: "10.244.0.0/16", nodeSubnetPrefix: 24, backend: { type: "host-gw" }, bridge: "cni0", masquerade: true };

export const EMPTY_SPEC: SpecDraft = { ...POD_FABRIC, underlayMtu: 1500, nodes: [] };

/** Whether the draft has a pod fabric: core's FleetSpec wants podCidr and backend together, or neither. */
export const hasPodFabric = (draft: SpecDraft) => draft.podCidr !== undefined || draft.backend !== undefined;

/** The draft with the pod fabric's fields (missing ones at their usual values), or without any of them. */
export function withPodFabric(draft: SpecDraft, on: boolean): SpecDraft {
  if (on) return { ...structuredClone(POD_FABRIC), ...draft };
  return Object.fromEntries(Object.entries(draft).filter(([key]) => !(key in POD_FABRIC)));
}

/** Sets `path` ("backend.vni", "nodes.1.underlayIp") in a copy of the draft; `undefined` removes the field. */
export function setField(draft: SpecDraft, path: string, value: unknown): SpecDraft {
  const next = structuredClone(draft);
  const keys = path.split(".");
  let at = next as Record<string, unknown>;
  for (const [i, key] of keys.slice(0, -1).entries()) {
    if (typeof at[key] !== "object" || at[key] === null) at[key] = /^\d+$/.test(keys[i + 1] ?? "") ? [] : {};
    at = at[key] as Record<string, unknown>;
  }
  const last = keys.at(-1) as string;
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete at[last];
  } else at[last] = value;
  return next;
}

export function getField(draft: SpecDraft, path: string): unknown {
  return path.split(".").reduce<unknown>((at, key) => (typeof at === "object" && at !== null ? (at as Record<string, unknown>)[key] : undefined), draft);
}

/** Top-level sections the form has no fields for: edited in the JSON view. */
export function otherSections(draft: SpecDraft): string[] {
  const known = new Set(Object.keys(EMPTY_SPEC).concat(["reserved"]));
  return Object.keys(draft).filter((k) => !known.has(k));
}
