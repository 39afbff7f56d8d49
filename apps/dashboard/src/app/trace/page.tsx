"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, fieldErrors } from "../../client/api";
import { TraceForm, toTraceRequest } from "../../components/trace-form";
import { TracePathView } from "../../components/trace-path";
import { TraceVerify } from "../../components/trace-verify";
import type { TraceRequest } from "../../fleet/trace-request";

/** Trace a packet through the fleet's newest snapshots (on the server), hop by hop, and its reply. */
export default function TracePage() {
  const [request, setRequest] = useState<TraceRequest>();
  const status = useQuery({ queryKey: ["auth-status"], queryFn: () => api.auth.status.query() });
  const traced = useQuery({ queryKey: ["trace", request], queryFn: () => api.trace.run.query(request as TraceRequest), enabled: !!request, retry: false });
  const result = traced.data;
  return (
    <>
      <h1>Trace</h1>
      <TraceForm errors={traced.isError ? fieldErrors(traced.error) : {}} pending={traced.isFetching} onTrace={(form) => setRequest(toTraceRequest(form))} />
      {result && request && (
        <>
          <p data-testid="trace-summary">
            From {result.source ? `${result.source.ip || "no address"} on ${result.source.node}` : "an unknown source"} to {result.destination.ip} ({result.destination.protocol}{result.destination.port ? `/${result.destination.port}` : ""}, {result.packetSize} bytes)
            {result.reverse && <> — the reply path is <strong className={result.asymmetric ? "status-stale" : "status-up"}>{result.asymmetric ? "asymmetric" : "symmetric"}</strong></>}
          </p>
          <TracePathView title="Path" path={result.forward} />
          {result.reverse && <TracePathView title="Reply path" path={result.reverse} />}
          {status.data?.role === "admin" && <TraceVerify key={JSON.stringify(request)} request={request} />}
        </>
      )}
    </>
  );
}
