/**
 * What netatlas owns on a node, and so may change: routes with its route protocol
 * number, links whose alias is its mark, and its nft table. Everything else is
 * read-only to it.
 */
// A number iproute2 has no name for (188 would print as "ospf"), so `ip route` shows "proto 157".
export const NETATLAS_ROUTE_PROTOCOL = "157";
export const NETATLAS_LINK_ALIAS = "netatlas";
export const NETATLAS_NFT_TABLE = "netatlas";
export const NETATLAS_VXLAN_DEVICE = "netatlas.1";
/** The label on Docker networks netatlas created: only those may it remove when the spec drops them. */
export const NETATLAS_DOCKER_LABEL = "io.netatlas.owned";
/** netatlas's nft table for routed Docker networks' masquerade (traffic to the fleet's Docker range keeps its source). */
export const NETATLAS_DOCKER_NFT_TABLE = "netatlas_docker";
