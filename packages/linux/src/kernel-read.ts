import type { NamespaceState, NetnsSysctls } from "@netatlas/core";
import type { LinkTable } from "./netlink/links.js";

/** What a reader found in one namespace: its kernel state in the model, and the sysctls read with it. */
export interface KernelRead {
  /** Links, addresses, routes, neighbours and FDB entries; no rules (nft is read apart, where wanted). */
  state: NamespaceState;
  sysctls: NetnsSysctls;
  /** The netlink reader's links by ifindex, by which the namespace's later notifications are decoded. */
  linkTable?: LinkTable;
}
