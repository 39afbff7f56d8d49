import { computeLayout } from "./compute-layout";
import type { LayoutRequest } from "./layout-request";

type Scope = { addEventListener(type: "message", listener: (message: MessageEvent<{ id: number; request: LayoutRequest }>) => void): void; postMessage(message: unknown): void };
const scope = self as unknown as Scope;

// elk.bundled.js, loaded in a worker, sets `self.onmessage` for a protocol of its own, at load and
// again once a layout has run; its handler would answer our requests with errors, and ours,
// set the same way, would stop hearing them. So `onmessage` is kept empty and we listen beside it.
Object.defineProperty(self, "onmessage", { configurable: true, get: () => null, set: () => undefined });

scope.addEventListener("message", ({ data }) => {
  computeLayout(data.request).then(
    (positions) => scope.postMessage({ id: data.id, positions: [...positions].map(([key, p]) => [key, p.x, p.y]) }),
    (error: Error) => scope.postMessage({ id: data.id, error: error.message }),
  );
});
