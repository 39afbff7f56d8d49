import { joinedContainerId } from "../../model/container.js";
import type { Finding } from "../../model/finding.js";
import type { FleetView } from "./fleet-view.js";

/**
 * A running container that joined another's network namespace
 * (`--network container:X`) whose owner is gone or stopped: Docker made the
 * join at start and never remakes it, so the joiner is left in a namespace
 * whose interfaces went with the owner.
 */
export function orphanedContainerJoins(fleet: FleetView): Finding[] {
  return fleet.snapshots.flatMap((s) =>
    s.containers.flatMap((c): Finding[] => {
      const ownerRef = joinedContainerId(c);
      if (!ownerRef || c.state !== "running") return [];
      const owner = s.containers.find((o) => o.id === ownerRef || o.id.startsWith(ownerRef) || o.name === ownerRef);
      if (owner?.state === "running") return [];
      const what = owner ? `${owner.name}, which is ${owner.state}` : `container ${ownerRef.slice(0, 12)}, which no longer exists`;
      return [
        {
          code: "container-join-orphan",
          severity: "error",
          message: `${s.node}: ${c.name} joined the network of ${what}; it is left without the owner's network`,
          hint: owner ? `Start ${owner.name} again, then restart ${c.name} so it joins the new namespace.` : `Recreate ${c.name} with --network container:<a running container>.`,
          subjects: [`${s.node}/container/${c.name}`, ...(owner ? [`${s.node}/container/${owner.name}`] : [])],
        },
      ];
    }),
  );
}
