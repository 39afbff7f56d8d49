"use client";
import { LARGE_GRAPH } from "../client/layout-request";
import { TopologyFlow } from "./topology-flow";
import type { TopologyViewProps } from "./topology-props";
import { TopologyWebgl } from "./topology-webgl";

/** Cards (React Flow) for graphs a person reads whole; WebGL dots (sigma.js) above LARGE_GRAPH elements. */
export function TopologyView(props: TopologyViewProps) {
  return props.graph.elements.length > LARGE_GRAPH ? <TopologyWebgl {...props} /> : <TopologyFlow {...props} />;
}
