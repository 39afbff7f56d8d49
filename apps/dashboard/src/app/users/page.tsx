"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../client/api";
import { ApiTokens } from "../../components/api-tokens";
import { QueryState } from "../../components/query-state";
import { UserAdmin } from "../../components/user-admin";

/** Everyone's own API tokens; for an admin, also the named users. */
export default function UsersPage() {
  const whoami = useQuery({ queryKey: ["whoami"], queryFn: () => api.auth.whoami.query() });
  return (
    <QueryState query={whoami}>
      {(me) => (
        <>
          <h1>{me.role === "admin" ? "Users and API tokens" : "API tokens"}</h1>
          <ApiTokens role={me.role} user={me.user} />
          {me.role === "admin" && <UserAdmin />}
        </>
      )}
    </QueryState>
  );
}
