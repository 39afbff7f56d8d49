"use client";
import { groupedLayout, type Point } from "../fleet/grouped-layout";
import type { TopologyGraph } from "@netatlas/core";
import { LARGE_GRAPH, layoutRequest } from "./layout-request";

/** Built from ./topology-layout.worker.ts by the dashboard's build script. */
const LAYOUT_WORKER_URL = "/workers/topology-layout.js";

type Answer = { id: number; positions?: [string, number, number][]; error?: string };

let worker: Worker | undefined;
let next = 0;
const waiting = new Map<number, { resolve: (p: Map<string, Point>) => void; reject: (e: Error) => void }>();

function layoutWorker(): Worker {
  if (worker) return worker;
  // Bundled by esbuild in the build script into public/: Turbopack copies the source of
  // `new Worker(new URL("./x.ts", import.meta.url))` as a raw asset instead of bundling it.
  // Through a variable, so Turbopack does not try to resolve the URL as a module.
  const WorkerClass: typeof Worker = window.Worker;
  worker = new WorkerClass(LAYOUT_WORKER_URL);
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

/**
 * Positions for every element: ELK's layered layout in a Web Worker (it takes
 * seconds for hundreds of elements, and the page stays responsive meanwhile);
 * above LARGE_GRAPH the grouped layout, linear (~20 ms for 5,000 elements), here.
 */
export function layoutTopology(graph: TopologyGraph): Promise<Map<string, Point>> {
  if (graph.elements.length > LARGE_GRAPH) return Promise.resolve(groupedLayout(graph));
  const id = ++next;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    layoutWorker().postMessage({ id, request: layoutRequest(graph) });
  });
}
