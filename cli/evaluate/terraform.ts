/**
 * Terraform plans (`terraform show -json <plan>`): each `resource_changes[]` entry that will exist
 * after apply is judged by its `change.after`, with `change.after_unknown` marking values known only
 * after apply (Terraform "JSON Output Format", https://developer.hashicorp.com/terraform/internals/json-format).
 * Without `resource_changes` (a state: `terraform show -json`), the resources of `values.root_module`
 * and its `child_modules` are judged.
 *
 * Pulumi's classic `azure` and `aws` providers are bridged from the same Terraform providers, so a
 * plan's attributes map onto the classic targets' inputs: snake_case becomes camelCase and a block
 * with at most one item (a list in the plan) becomes an object. Attribute names, checked against
 * the provider docs and the bridged SDK types:
 * - azurerm_kubernetes_cluster (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/kubernetes_cluster;
 *   @pulumi/azure 6.40.0 containerservice/kubernetesCluster.d.ts, types/input.d.ts
 *   KubernetesClusterApiServerAccessProfile): private_cluster_enabled → privateClusterEnabled,
 *   private_cluster_public_fqdn_enabled → privateClusterPublicFqdnEnabled, private_dns_zone_id →
 *   privateDnsZoneId, run_command_enabled → runCommandEnabled, api_server_access_profile {
 *   authorized_ip_ranges, virtual_network_integration_enabled } → apiServerAccessProfile {
 *   authorizedIpRanges, virtualNetworkIntegrationEnabled }. azurerm 3.x spelled the latter
 *   `vnet_integration_enabled` and also had the top-level `api_server_authorized_ip_ranges`
 *   (deprecated, removed in 4.0); both are still read so an older plan cannot bypass a rule.
 * - aws_eks_cluster (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster;
 *   @pulumi/aws 7.48.0 types/input.d.ts ClusterVpcConfig): vpc_config { endpoint_private_access,
 *   endpoint_public_access, public_access_cidrs } → vpcConfig { endpointPrivateAccess,
 *   endpointPublicAccess, publicAccessCidrs }.
 * - azurerm_container_registry (@pulumi/azure containerservice/registry.d.ts):
 *   public_network_access_enabled → publicNetworkAccessEnabled.
 */
import { UNKNOWN, type UnknownNote } from "./unknowns";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Terraform resource type → the classic Pulumi type token and its single-item blocks. */
const MAPPED: Record<string, { type: string; singleBlocks: string[] }> = {
  azurerm_kubernetes_cluster: { type: "azure:containerservice/kubernetesCluster:KubernetesCluster", singleBlocks: ["api_server_access_profile"] },
  aws_eks_cluster: { type: "aws:eks/cluster:Cluster", singleBlocks: ["vpc_config"] },
  azurerm_container_registry: { type: "azure:containerservice/registry:Registry", singleBlocks: [] },
};

export interface TerraformFound {
  type: string;
  name: string;
  props: Obj;
  path: (string | number)[];
  unknowns: UnknownNote[];
}

export function isTerraformPlan(data: Obj): boolean {
  return typeof data.format_version === "string" && (Array.isArray(data.resource_changes) || isObj(data.planned_values) || isObj(data.values));
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `after` with `after_unknown` applied: unknown leaves become the sentinel. */
function withUnknowns(after: unknown, unknown: unknown, at: string, notes: UnknownNote[]): unknown {
  if (unknown === true) {
    notes.push({ path: at, reason: "known after apply (Terraform plan)" });
    return UNKNOWN;
  }
  if (Array.isArray(unknown)) {
    const list = Array.isArray(after) ? after : [];
    return Array.from({ length: Math.max(list.length, unknown.length) }, (_, i) => withUnknowns(list[i], unknown[i], `${at}[${i}]`, notes));
  }
  if (isObj(unknown)) {
    const obj: Obj = isObj(after) ? { ...after } : {};
    for (const [k, u] of Object.entries(unknown)) obj[k] = withUnknowns(obj[k], u, at ? `${at}.${k}` : k, notes);
    return obj;
  }
  return after;
}

/** Attribute names in camelCase at every depth (nested blocks too); nulls are unset attributes. */
function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [camel(k), camelKeys(x)]));
}

function toProps(attrs: Obj, singleBlocks: string[]): Obj {
  const props: Obj = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null) continue;
    props[camel(k)] = camelKeys(singleBlocks.includes(k) && Array.isArray(v) ? v[0] : v);
  }
  // Older attribute spellings (azurerm 3.x): still honoured by that provider, so still judged.
  const access = props.apiServerAccessProfile;
  if (isObj(access) && access.vnetIntegrationEnabled !== undefined && access.virtualNetworkIntegrationEnabled === undefined) {
    props.apiServerAccessProfile = { ...access, virtualNetworkIntegrationEnabled: access.vnetIntegrationEnabled };
  }
  const legacy = props.apiServerAuthorizedIpRanges;
  if (Array.isArray(legacy) && legacy.length > 0) {
    const profile = isObj(props.apiServerAccessProfile) ? props.apiServerAccessProfile : {};
    const current = Array.isArray(profile.authorizedIpRanges) ? profile.authorizedIpRanges : [];
    props.apiServerAccessProfile = { ...profile, authorizedIpRanges: [...new Set([...current, ...legacy])] };
  }
  return props;
}

/** A plan without `resource_changes`, or `terraform show -json` of a state: the module tree's resource `values`. */
function moduleResources(data: Obj): TerraformFound[] {
  const [key, tree] = isObj(data.planned_values) ? ["planned_values", data.planned_values] : ["values", data.values];
  const found: TerraformFound[] = [];
  const walk = (module: unknown, path: (string | number)[]) => {
    if (!isObj(module)) return;
    (Array.isArray(module.resources) ? module.resources : []).forEach((r: unknown, i: number) => {
      if (!isObj(r) || r.mode === "data" || !isObj(r.values)) return;
      const mapped = MAPPED[String(r.type)];
      const name = typeof r.address === "string" ? r.address : `${String(r.type)}.${String(r.name)}`;
      found.push({ type: mapped?.type ?? String(r.type), name, props: mapped ? toProps(r.values, mapped.singleBlocks) : r.values, path: [...path, "resources", i], unknowns: [] });
    });
    (Array.isArray(module.child_modules) ? module.child_modules : []).forEach((m: unknown, i: number) => walk(m, [...path, "child_modules", i]));
  };
  walk(isObj(tree) ? tree.root_module : undefined, [key as string, "root_module"]);
  return found;
}

export function terraformResources(data: Obj): TerraformFound[] {
  if (!Array.isArray(data.resource_changes)) return moduleResources(data);
  const changes = data.resource_changes as unknown[];
  return changes.flatMap((rc, i) => {
    if (!isObj(rc) || rc.mode === "data" || !isObj(rc.change)) return [];
    const actions = Array.isArray(rc.change.actions) ? rc.change.actions : [];
    if (actions.length === 1 && (actions[0] === "delete" || actions[0] === "read" || actions[0] === "forget")) return [];
    const tfType = String(rc.type);
    const unknowns: UnknownNote[] = [];
    const after = withUnknowns(rc.change.after, rc.change.after_unknown, "", unknowns);
    if (!isObj(after)) return [];
    const mapped = MAPPED[tfType];
    const name = typeof rc.address === "string" ? rc.address : `${tfType}.${String(rc.name)}`;
    const props = mapped ? toProps(after, mapped.singleBlocks) : after;
    const remapped = mapped ? unknowns.map((n) => ({ ...n, path: n.path.split(".").map((seg) => camel(seg.replace(/\[0\]$/, (m) => (mapped.singleBlocks.includes(seg.replace(/\[0\]$/, "")) ? "" : m)))).join(".") })) : unknowns;
    return [{ type: mapped?.type ?? tfType, name, props, path: ["resource_changes", i], unknowns: remapped }];
  });
}
