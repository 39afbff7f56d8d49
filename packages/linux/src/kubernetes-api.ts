import { readFile } from "node:fs/promises";

/** How to reach the API server: in a cluster, from the pod's service account. */
export interface KubernetesAccess {
  apiUrl: string;
  token: string;
  ca?: Buffer;
}

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The in-cluster access a pod has (KUBERNETES_SERVICE_HOST/PORT and its token), or undefined outside a cluster. */
export async function inClusterAccess(env: NodeJS.ProcessEnv = process.env, saDir = SERVICE_ACCOUNT_DIR): Promise<KubernetesAccess | undefined> {
  const host = env.KUBERNETES_SERVICE_HOST;
  if (!host) return undefined;
  const port = env.KUBERNETES_SERVICE_PORT ?? "443";
  const [token, ca] = await Promise.all([readFile(`${saDir}/token`, "utf8"), readFile(`${saDir}/ca.crt`).catch(() => undefined)]);
  return { apiUrl: `https://${host.includes(":") ? `[${host}]` : host}:${port}`, token: token.trim(), ca };
}

/** The pods scheduled on `nodeName`, as the API server lists them (a field selector: the RBAC allows only reads). */
export async function listNodePods(access: KubernetesAccess, nodeName: string, timeoutMs = 5_000): Promise<unknown[]> {
  const url = new URL(`/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`, access.apiUrl);
  // Loaded here, not at the top: TLS costs a CLI snapshot outside a cluster start-up time for nothing.
  const send = url.protocol === "https:" ? (await import("node:https")).request : (await import("node:http")).request;
  return new Promise((resolve, reject) => {
    const req = send(url, { headers: { authorization: `Bearer ${access.token}`, accept: "application/json" }, ca: access.ca, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode !== 200) return reject(new Error(`Kubernetes API ${url.pathname}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        try {
          const body = JSON.parse(text) as { items?: unknown[] };
          resolve(Array.isArray(body.items) ? body.items : []);
        } catch {
          reject(new Error(`Kubernetes API ${url.pathname}: the answer is not JSON`));
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`Kubernetes API ${url.host}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}
