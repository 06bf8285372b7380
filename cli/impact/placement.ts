/**
 * Where a resource lives, for grouping: what its inventory says (subscription, resource group,
 * region; stack and project), else what can be read from the resource itself — a Pulumi URN
 * (`urn:pulumi:<stack>::<project>::<type>::<name>`, "Resource URNs",
 * https://www.pulumi.com/docs/iac/concepts/resources/names/#urns), an Azure resource ID, a `location`.
 * Keys compare as Azure compares them: subscription IDs, resource group names and regions without
 * regard to case, and a region's display name (`West Europe`) as its name (`westeurope`). A resource
 * group is named within its subscription (`<subscription>/<group>`), a stack within its project.
 */
import type { InputResource } from "../evaluate/formats";
import { resourceIdParts } from "../evaluate/formats/inventory";
import { isUnknownSentinel } from "../evaluate/unknowns";
import type { Placement } from "./model";

/** A known, non-empty string (a value unknown before deployment places nothing). */
const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" && !isUnknownSentinel(v) ? v : undefined);

/** The stack and project of a Pulumi URN. */
export function urnParts(urn: string | undefined): { stack?: string; project?: string } {
  const m = urn ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn) : null;
  return m ? { stack: m[1], project: m[2] } : {};
}

/** A region's name: lower case, without spaces (Azure accepts the display name `West Europe` for `westeurope`). */
export const regionKey = (location: string) => location.toLowerCase().replace(/\s+/g, "");

export function placementOf(r: InputResource): Placement {
  const origin = r.origin ?? {};
  const resourceId = origin.resourceId ?? text(r.arm?.id);
  const ids = resourceIdParts(resourceId);
  const urn = urnParts(r.urn);
  const location = origin.location ?? text(r.arm?.location) ?? text(r.pulumi.props.location);
  const subscription = origin.subscription ?? ids.subscription;
  const resourceGroup = origin.resourceGroup ?? ids.resourceGroup;
  const stack = origin.stack ?? urn.stack;
  const project = origin.project ?? urn.project;
  // Set in this order (the order the JSON report and the fix list show), without a spread per key: every resource of a fleet is placed.
  const placement: Placement = {};
  if (resourceId) placement.resourceId = resourceId;
  if (subscription) placement.subscription = subscription.toLowerCase();
  if (resourceGroup) placement.resourceGroup = `${subscription ? `${subscription.toLowerCase()}/` : ""}${resourceGroup.toLowerCase()}`;
  if (location) placement.region = regionKey(location);
  if (project) placement.project = project;
  if (stack) placement.stack = project ? `${project}/${stack}` : stack;
  return placement;
}
