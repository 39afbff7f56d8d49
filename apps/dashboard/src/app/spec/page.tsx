"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { api } from "../../client/api";
import { useRole } from "../../client/use-role";
import { QueryState } from "../../components/query-state";
import { SpecEditor } from "../../components/spec-editor";
import { SpecHistory } from "../../components/spec-history";
import { EMPTY_SPEC, type SpecDraft } from "../../fleet/spec-draft";

/** The fleet's desired pod fabric: edit the newest version, or look at an older one (?version=N). */
export default function SpecPage() {
  const version = Number(useSearchParams().get("version") ?? "") || undefined;
  const role = useRole();
  const latest = useQuery({ queryKey: ["spec", "latest"], queryFn: () => api.spec.latest.query() });
  const shown = useQuery({ queryKey: ["spec", version], queryFn: () => api.spec.version.query({ version: version as number }), enabled: !!version });
  return (
    <>
      <h1>Fleet spec</h1>
      <QueryState query={latest}>
        {(newest) =>
          version && version !== newest?.version ? (
            <QueryState query={shown}>
              {(old) => (
                <>
                  <p>
                    Version {old.version}, saved {new Date(old.savedAt).toLocaleString()} by {old.author} (read-only). <Link href="/spec">Edit the newest version</Link>
                  </p>
                  <SpecEditor key={`v${old.version}`} initial={old.spec as SpecDraft} baseVersion={old.version} savedAllocation={old.allocation} savedDockerAllocation={old.dockerAllocation} readOnly />
                </>
              )}
            </QueryState>
          ) : (
            <>
              <p className="muted">
                {newest ? <>Version {newest.version}, saved {new Date(newest.savedAt).toLocaleString()} by {newest.author}. Next: <Link href="/plans">review the plans</Link>.</> : "No spec yet: start from the fleet's nodes below."}
                {role === "viewer" && " You are signed in read-only."}
              </p>
              <SpecEditor key={`v${newest?.version ?? 0}`} initial={(newest?.spec as SpecDraft | undefined) ?? EMPTY_SPEC} baseVersion={newest?.version ?? null} savedAllocation={newest?.allocation} savedDockerAllocation={newest?.dockerAllocation} readOnly={role !== "admin"} />
            </>
          )
        }
      </QueryState>
      <SpecHistory current={version} />
    </>
  );
}
