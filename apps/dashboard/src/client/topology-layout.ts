"use client";
import type { Point } from "../fleet/grouped-layout";
import type { TopologyGraph } from "../fleet/topology-graph";
import { layoutRequest } from "./compute-layout";

type Answer = { id: number; positions?: [string, number, number][]; error?: string };

let worker: Worker | undefined;
let next = 0;
const waiting = new Map<number, { resolve: (p: Map<string, Point>) => void; reject: (e: Error) => void }>();

function layoutWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./topology-layout.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }: MessageEvent<Answer>) => {
    const request = waiting.get(data.id);
    waiting.delete(data.id);
    if (data.error !== undefined || !data.positions) request?.reject(new Error(data.error ?? "the layout worker answered nothing"));
    else request?.resolve(new Map(data.positions.map(([id, x, y]) => [id, { x, y }])));
  };
  worker.onerror = (event) => {
    for (const request of waiting.values()) request.reject(new Error(`the layout worker failed: ${event.message}`));
    waiting.clear();
    worker = undefined;
  };
  return worker;
}

/** Positions for every element, computed in a Web Worker so the page stays responsive meanwhile. */
export function layoutTopology(graph: TopologyGraph): Promise<Map<string, Point>> {
  const id = ++next;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    layoutWorker().postMessage({ id, request: layoutRequest(graph) });
  });
}
