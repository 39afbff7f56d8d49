import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { DaemonSet } from "kubernetes-models/apps/v1";
import { Namespace, Secret, ServiceAccount } from "kubernetes-models/v1";
import { ClusterRole, ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { TokenTable } from "../src/serve/tokens.js";

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/DaemonSet": DaemonSet,
  "v1/Namespace": Namespace,
  "v1/Secret": Secret,
  "v1/ServiceAccount": ServiceAccount,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
};

// The test walks into the DaemonSet by path; the validator is what checks the shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = { apiVersion: string; kind: string; spec?: any; stringData?: Record<string, string> };

const manifests = parseAllDocuments(readFileSync(new URL("../../../deploy/kubernetes/agent.yaml", import.meta.url), "utf8")).map((d) => d.toJS() as Manifest);

function validate(doc: { apiVersion: string; kind: string }): void {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
  new Model(doc as never).validate();
}

describe("deploy/kubernetes/agent.yaml", () => {
  it("validates against the Kubernetes schemas, every document", () => {
    expect(manifests.map((m) => m.kind)).toEqual(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Secret", "DaemonSet"]);
    for (const doc of manifests) validate(doc);
  });

  it("the validator rejects a broken DaemonSet (so the test above can fail)", () => {
    const ds = structuredClone(manifests.find((m) => m.kind === "DaemonSet")!);
    ds.spec.template.spec.containers[0].ports[0].containerPort = "not-a-port";
    expect(() => validate(ds)).toThrow(/containerPort/);
  });

  it("ships placeholder tokens the agent refuses at start, saying how to make real ones", () => {
    const tokens = manifests.find((m) => m.kind === "Secret")?.stringData?.tokens ?? "";
    expect(() => TokenTable.parse(tokens, "/etc/netatlas/tokens")).toThrow(/\/etc\/netatlas\/tokens:1: the admin token looks like a placeholder .*openssl rand -hex 32/);
  });

  it("runs on the host network and PID namespace with only the capabilities it needs", () => {
    const ds = manifests.find((m) => m.kind === "DaemonSet")!;
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    const sc = pod.containers[0].securityContext;
    expect(sc.privileged).toBe(false);
    expect(sc.capabilities).toEqual({ drop: ["ALL"], add: ["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "NET_BROADCAST"] });
    const mounts = pod.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(["/var/run/netns", "/var/run/docker", "/var/lib/cni", "/etc/netatlas"]));
  });
});
