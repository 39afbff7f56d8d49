import { validateFleetSpec, type FleetSpec, type SpecError } from "@netatlas/core";

/**
 * core's validateFleetSpec, made total: its cross-field check can throw on a
 * field that already failed (a subnet prefix over 32 makes it shift by a
 * negative count), and an editor that validates on every key must not.
 */
export function checkSpec(input: unknown): { ok: true; spec: FleetSpec } | { ok: false; errors: SpecError[] } {
  try {
    return validateFleetSpec(input);
  } catch (error) {
    const prefix = (input as { nodeSubnetPrefix?: unknown } | null)?.nodeSubnetPrefix;
    if (prefix !== undefined && !(Number.isInteger(prefix) && (prefix as number) >= 8 && (prefix as number) <= 30)) return { ok: false, errors: [{ path: "nodeSubnetPrefix", message: "must be a whole number from 8 to 30" }] };
    return { ok: false, errors: [{ path: "(spec)", message: `cannot check the spec: ${(error as Error).message}` }] };
  }
}
