import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { loadConfig } from "../src/server/config";
import { targetsFromEndpoints } from "../src/server/fleet/kubernetes-discovery";

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
};

// The test walks into the documents by path; the validator is what checks their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; stringData?: Record<string, string> };

const manifests = parseAllDocuments(readFileSync(new URL("../../../deploy/kubernetes/dashboard.yaml", import.meta.url), "utf8")).map((d) => d.toJS() as Manifest);
const agentDaemonSet = parseAllDocuments(readFileSync(new URL("../../../deploy/kubernetes/agent.yaml", import.meta.url), "utf8")).map((d) => d.toJS() as Manifest).find((m) => m.kind === "DaemonSet")!;

function validate(doc: { apiVersion: string; kind: string }): void {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
  new Model(doc as never).validate();
}

describe("deploy/kubernetes/dashboard.yaml", () => {
  const deployment = manifests.find((m) => m.kind === "Deployment")!;
  const container = deployment.spec.template.spec.containers[0];

  it("validates against the Kubernetes schemas, every document", () => {
    expect(manifests.map((m) => m.kind)).toEqual(["ServiceAccount", "Role", "RoleBinding", "Secret", "Service", "Deployment", "Service"]);
    for (const doc of manifests) validate(doc);
  });

  it("the validator rejects a broken Deployment (so the test above can fail)", () => {
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = "not-a-port";
    expect(() => validate(broken)).toThrow(/containerPort/);
  });

  it("takes DATABASE_URL, the admin password, the agents' token and the sealing key from the Secret", () => {
    const fromSecret = Object.fromEntries(container.env.filter((e: { valueFrom?: unknown }) => e.valueFrom).map((e: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }) => [e.name, e.valueFrom.secretKeyRef]));
    const secret = manifests.find((m) => m.kind === "Secret")!;
    expect(Object.keys(fromSecret).sort()).toEqual(["DATABASE_URL", "NETATLAS_ADMIN_PASSWORD", "NETATLAS_AGENT_TOKEN", "NETATLAS_SECRET_KEY"]);
    for (const ref of Object.values(fromSecret) as { name: string; key: string }[]) {
      expect(ref.name).toBe(secret.metadata.name);
      expect(Object.keys(secret.stringData ?? {})).toContain(ref.key);
    }
  });

  it("runs more than one replica only on PostgreSQL, with a lease ttl the dashboard accepts", () => {
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value ?? "from-the-secret"]));
    expect(deployment.spec.replicas).toBeGreaterThan(1);
    expect(env.DATABASE_URL).toBeDefined();
    expect(loadConfig({ ...env, DATABASE_URL: "postgres://netatlas@postgres:5432/netatlas", NETATLAS_SECRET_KEY: "k".repeat(32), NETATLAS_ADMIN_PASSWORD: "a-long-password" }).leaseTtlMs).toBe(10_000);
  });

  it("discovers the agents through a Service that selects the agent DaemonSet's pods on its API port", () => {
    const agents = manifests.find((m) => m.kind === "Service" && m.metadata.name === "netatlas-agent")!;
    expect(agents.spec.selector).toEqual(agentDaemonSet.spec.selector.matchLabels);
    expect(agents.spec.ports[0].targetPort).toBe(agentDaemonSet.spec.template.spec.containers[0].ports[0].name);
    expect(container.env.find((e: { name: string }) => e.name === "NETATLAS_AGENT_SERVICE").value).toBe("netatlas/netatlas-agent");
  });

  it("turns the agents' Endpoints into one agent per node", () => {
    const endpoints = { subsets: [{ addresses: [{ ip: "10.0.0.11", nodeName: "worker-1" }, { ip: "fd00::12", nodeName: "worker-2" }], ports: [{ name: "api", port: 7946 }] }] };
    expect(targetsFromEndpoints(endpoints, "read-token")).toEqual([
      { name: "worker-1", url: "http://10.0.0.11:7946", token: "read-token", source: "kubernetes" },
      { name: "worker-2", url: "http://[fd00::12]:7946", token: "read-token", source: "kubernetes" },
    ]);
  });
});
