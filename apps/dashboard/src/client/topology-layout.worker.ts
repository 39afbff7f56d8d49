import { computeLayout } from "./compute-layout";
import type { LayoutRequest } from "./layout-request";

type Scope = { onmessage: ((message: MessageEvent<{ id: number; request: LayoutRequest }>) => void) | null; postMessage(message: unknown): void };
const scope = self as unknown as Scope;

// Set after the imports have run: elk.bundled.js, loaded in a worker, claims `onmessage` for itself.
scope.onmessage = ({ data }) => {
  computeLayout(data.request).then(
    (positions) => scope.postMessage({ id: data.id, positions: [...positions].map(([key, p]) => [key, p.x, p.y]) }),
    (error: Error) => scope.postMessage({ id: data.id, error: error.message }),
  );
};
