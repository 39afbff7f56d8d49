import { allocate, FleetSpec, nodeIntent, validateFleetSpec, type FleetSpecInput, type NodeIntent, type SpecError } from "../../src/index.js";

/** The errors a spec gets, none when it is valid. */
export function specErrors(input: unknown): SpecError[] {
  const result = validateFleetSpec(input);
  return result.ok ? [] : result.errors;
}

/** One node's intent from a spec, with fresh pod and Docker allocations. */
export function intentFor(input: FleetSpecInput, node: string): NodeIntent {
  const spec = FleetSpec.parse(input);
  return nodeIntent(spec, allocate(spec), node);
}
