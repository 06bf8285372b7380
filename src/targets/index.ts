/**
 * Targets: where each logical field lives on each resource shape, and what the cloud does when
 * the property is absent. Backends never hard-code property paths; they ask this table.
 *
 * Every path below was checked against the installed provider type definitions:
 *   azure-native  node_modules/@pulumi/azure-native/types/input.d.ts  (ManagedClusterAPIServerAccessProfileArgs,
 *                 containerregistry RegistryArgs.publicNetworkAccess)
 *   azure classic node_modules/@pulumi/azure/containerservice/kubernetesCluster.d.ts, registry.d.ts,
 *                 types/input.d.ts (KubernetesClusterApiServerAccessProfile)
 *   aws           node_modules/@pulumi/aws/types/input.d.ts (eks.ClusterVpcConfig)
 *   aws-native    AWS::EKS::Cluster ResourcesVpcConfig (CloudFormation reference; package not installed)
 * test/targets.test.ts re-reads those .d.ts files so a provider upgrade that renames a property fails CI.
 */

export type FieldType = "boolean" | "string" | "stringArray";
export type Scalar = boolean | string | number;
export type FieldValue = Scalar | string[] | null;

/** How one logical field is stored on one resource shape. */
export interface FieldBinding {
  /**
   * Property path below the resource's props (Pulumi) or below `properties` (ARM). Empty when the
   * provider cannot express the field: every resource of the shape then has the default.
   */
  path: string[];
  /** The value the cloud uses when the property is absent or null. */
  default: FieldValue;
  /** Where the default comes from (provider doc comment or cloud documentation). */
  defaultSource: string;
  /** The provider stores the logical value inverted (e.g. `runCommandEnabled` vs `disableRunCommand`). */
  inverted?: boolean;
  /** The provider stores an enum string for a logical boolean (case-insensitive keys). */
  valueMap?: Record<string, boolean>;
  /** The cloud treats an empty string like an absent property (`defaultSource` says why). */
  emptyIsDefault?: boolean;
  /**
   * ARM: the path starts at the resource itself (`sku.name`), not below `properties`. Its alias is
   * still `<resource type>/<path>` (e.g. `Microsoft.ContainerService/managedClusters/sku.name`).
   */
  envelope?: boolean;
  /**
   * A property of older API versions or provider majors that the installed provider types no longer
   * declare; the citation of where it is declared (test/targets.test.ts checks it instead of the .d.ts).
   */
  legacy?: string;
}

export interface Shape {
  id: string;
  /** Case-insensitive regular expression source matching the resource type token. */
  typePattern: string;
  /** Human-readable type tokens, for docs. */
  typeNames: string[];
  /** ARM shapes are what Azure Policy evaluates; their paths sit below `properties`. */
  arm?: { resourceType: string };
  fields: Record<string, FieldBinding>;
}

export interface LogicalField {
  type: FieldType;
  description: string;
}

export interface Target {
  id: string;
  title: string;
  fields: Record<string, LogicalField>;
  shapes: Shape[];
}

const AKS_API_ACCESS = "apiServerAccessProfile";
const AKS_PRIVATE_DOC = "https://learn.microsoft.com/azure/aks/private-clusters";
const ARM_AKS_DOC = "https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters";
const EKS_DOC = "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html";

/** The cloud's behaviour for AKS, shared by the azure-native and ARM shapes (same property tree). */
function armAksFields(): Record<string, FieldBinding> {
  const p = (name: string) => [AKS_API_ACCESS, name];
  return {
    privateCluster: { path: p("enablePrivateCluster"), default: false, defaultSource: `${ARM_AKS_DOC} (a cluster is public unless enablePrivateCluster is true)` },
    publicFqdn: { path: p("enablePrivateClusterPublicFQDN"), default: true, defaultSource: `${AKS_PRIVATE_DOC} ("AKS by default creates ... an additional public FQDN")` },
    authorizedIpRanges: { path: p("authorizedIPRanges"), default: [], defaultSource: `${ARM_AKS_DOC} (no ranges = unrestricted public endpoint)` },
    // Microsoft's AKS-Construction templates send `privateDNSZone: ''` for every public cluster and
    // AKS deploys them; the ARM reference documents System as the default, which '' falls back to.
    privateDnsZone: {
      path: p("privateDNSZone"),
      default: "system",
      emptyIsDefault: true,
      defaultSource: `${AKS_PRIVATE_DOC} ("System is the default value"); ${ARM_AKS_DOC} (privateDNSZone: "The default is System"); '' as sent by https://github.com/Azure/AKS-Construction bicep/main.bicep for public clusters`,
    },
    runCommandDisabled: { path: p("disableRunCommand"), default: false, defaultSource: "https://learn.microsoft.com/azure/aks/command-invoke (enabled by default)" },
    vnetIntegration: { path: p("enableVnetIntegration"), default: false, defaultSource: "https://learn.microsoft.com/azure/aks/api-server-vnet-integration (opt-in)" },
    legacyAuthorizedIpRanges: {
      path: ["apiServerAuthorizedIPRanges"],
      default: [],
      legacy: "ARM API versions of 2019 (2019-02-01 template in the AKS docs) and azure-native v1 containerservice/v20190601 ManagedClusterArgs.apiServerAuthorizedIPRanges (\"(PREVIEW) Authorized IP Ranges to kubernetes API server\"); Azure Policy alias Microsoft.ContainerService/managedClusters/apiServerAuthorizedIPRanges[*]",
      defaultSource: `${ARM_AKS_DOC} (replaced by apiServerAccessProfile.authorizedIPRanges; absent = no ranges)`,
    },
    skuName: {
      path: ["sku", "name"],
      envelope: true,
      default: "Base",
      defaultSource: `${ARM_AKS_DOC} (ManagedClusterSKU name: Base or Automatic; @pulumi/azure-native ManagedClusterSKUName); https://learn.microsoft.com/azure/aks/api-server-vnet-integration ("AKS Automatic: API Server VNet Integration is preconfigured")`,
    },
  };
}

/** ARM (and azure-native) store registry public access as an "Enabled"/"Disabled" string. */
const ACR_PUBLIC_NETWORK_ACCESS: FieldBinding = {
  path: ["publicNetworkAccess"],
  valueMap: { enabled: true, disabled: false },
  default: true,
  defaultSource: "https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks (Enabled by default)",
};

export const TARGETS: readonly Target[] = [
  {
    id: "aks",
    title: "Azure Kubernetes Service cluster",
    fields: {
      privateCluster: { type: "boolean", description: "The API server is reachable only through a private endpoint." },
      publicFqdn: { type: "boolean", description: "A public FQDN is published for a private cluster's API server." },
      authorizedIpRanges: { type: "stringArray", description: "CIDRs allowed to reach a public API server." },
      privateDnsZone: { type: "string", description: "`system`, `none`, or the resource ID of a private DNS zone." },
      runCommandDisabled: { type: "boolean", description: "`az aks command invoke` is disabled." },
      vnetIntegration: { type: "boolean", description: "API Server VNet Integration is enabled." },
      legacyAuthorizedIpRanges: { type: "stringArray", description: "CIDRs allowed to reach a public API server, in the top-level property of the 2019 API versions that predate apiServerAccessProfile." },
      skuName: { type: "string", description: "The cluster SKU: `Base`, or `Automatic` (AKS Automatic, always VNet-integrated)." },
    },
    shapes: [
      {
        id: "azure-native",
        typePattern: "^azure-native:containerservice(/v[0-9a-z]+)?:managedcluster$",
        typeNames: ["azure-native:containerservice:ManagedCluster", "azure-native:containerservice/v*:ManagedCluster"],
        fields: armAksFields(),
      },
      {
        id: "arm",
        typePattern: "^microsoft\\.containerservice/managedclusters$",
        typeNames: ["Microsoft.ContainerService/managedClusters"],
        arm: { resourceType: "Microsoft.ContainerService/managedClusters" },
        fields: armAksFields(),
      },
      {
        id: "azure-classic",
        typePattern: "^azure:containerservice/kubernetescluster:kubernetescluster$",
        typeNames: ["azure:containerservice/kubernetesCluster:KubernetesCluster"],
        fields: {
          privateCluster: { path: ["privateClusterEnabled"], default: false, defaultSource: "@pulumi/azure KubernetesClusterArgs.privateClusterEnabled: \"Defaults to `false`\"" },
          // Unlike ARM, the classic provider sends false when the property is omitted.
          publicFqdn: { path: ["privateClusterPublicFqdnEnabled"], default: false, defaultSource: "@pulumi/azure KubernetesClusterArgs.privateClusterPublicFqdnEnabled: \"Defaults to `false`\"" },
          authorizedIpRanges: { path: [AKS_API_ACCESS, "authorizedIpRanges"], default: [], defaultSource: "@pulumi/azure KubernetesClusterApiServerAccessProfile.authorizedIpRanges (optional, no ranges)" },
          privateDnsZone: { path: ["privateDnsZoneId"], default: "system", defaultSource: "@pulumi/azure KubernetesClusterArgs.privateDnsZoneId (`System` when omitted)" },
          runCommandDisabled: { path: ["runCommandEnabled"], inverted: true, default: false, defaultSource: "@pulumi/azure KubernetesClusterArgs.runCommandEnabled: \"Defaults to `true`\"" },
          vnetIntegration: { path: [AKS_API_ACCESS, "virtualNetworkIntegrationEnabled"], default: false, defaultSource: "@pulumi/azure KubernetesClusterApiServerAccessProfile.virtualNetworkIntegrationEnabled: \"Defaults to `false`\"" },
          legacyAuthorizedIpRanges: {
            path: ["apiServerAuthorizedIpRanges"],
            default: [],
            legacy: "@pulumi/azure before v6 KubernetesClusterArgs.apiServerAuthorizedIpRanges (azurerm api_server_authorized_ip_ranges, deprecated for api_server_access_profile and removed in azurerm 4.0 / @pulumi/azure v6)",
            defaultSource: "@pulumi/azure v5 KubernetesClusterArgs.apiServerAuthorizedIpRanges (optional, no ranges)",
          },
          skuName: {
            path: [],
            default: "Base",
            defaultSource: "@pulumi/azure KubernetesClusterArgs has skuTier (Free/Standard/Premium) but no SKU name: it cannot declare an AKS Automatic cluster",
          },
        },
      },
    ],
  },
  {
    id: "eks",
    title: "Amazon EKS cluster",
    fields: {
      endpointPublicAccess: { type: "boolean", description: "The public API server endpoint is enabled." },
      endpointPrivateAccess: { type: "boolean", description: "The private (VPC) API server endpoint is enabled." },
      publicAccessCidrs: { type: "stringArray", description: "CIDRs allowed to reach the public endpoint." },
    },
    shapes: [
      {
        id: "aws",
        typePattern: "^aws:eks/cluster:cluster$",
        typeNames: ["aws:eks/cluster:Cluster"],
        fields: {
          endpointPublicAccess: { path: ["vpcConfig", "endpointPublicAccess"], default: true, defaultSource: "@pulumi/aws ClusterVpcConfig.endpointPublicAccess: \"Default is `true`\"" },
          endpointPrivateAccess: { path: ["vpcConfig", "endpointPrivateAccess"], default: false, defaultSource: "@pulumi/aws ClusterVpcConfig.endpointPrivateAccess: \"Default is `false`\"" },
          publicAccessCidrs: { path: ["vpcConfig", "publicAccessCidrs"], default: ["0.0.0.0/0"], defaultSource: "@pulumi/aws ClusterVpcConfig.publicAccessCidrs: \"EKS defaults this to a list with `0.0.0.0/0`\"" },
        },
      },
      {
        id: "aws-native",
        typePattern: "^aws-native:eks:cluster$",
        typeNames: ["aws-native:eks:Cluster"],
        fields: {
          endpointPublicAccess: { path: ["resourcesVpcConfig", "endpointPublicAccess"], default: true, defaultSource: EKS_DOC },
          endpointPrivateAccess: { path: ["resourcesVpcConfig", "endpointPrivateAccess"], default: false, defaultSource: EKS_DOC },
          publicAccessCidrs: { path: ["resourcesVpcConfig", "publicAccessCidrs"], default: ["0.0.0.0/0"], defaultSource: EKS_DOC },
        },
      },
    ],
  },
  {
    id: "acr",
    title: "Azure Container Registry",
    fields: {
      publicNetworkAccess: { type: "boolean", description: "The registry accepts traffic from public networks." },
    },
    shapes: [
      {
        id: "azure-native",
        typePattern: "^azure-native:containerregistry(/v[0-9a-z]+)?:registry$",
        typeNames: ["azure-native:containerregistry:Registry"],
        fields: { publicNetworkAccess: ACR_PUBLIC_NETWORK_ACCESS },
      },
      {
        id: "arm",
        typePattern: "^microsoft\\.containerregistry/registries$",
        typeNames: ["Microsoft.ContainerRegistry/registries"],
        arm: { resourceType: "Microsoft.ContainerRegistry/registries" },
        fields: { publicNetworkAccess: ACR_PUBLIC_NETWORK_ACCESS },
      },
      {
        id: "azure-classic",
        typePattern: "^azure:containerservice/registry:registry$",
        typeNames: ["azure:containerservice/registry:Registry"],
        fields: {
          publicNetworkAccess: { path: ["publicNetworkAccessEnabled"], default: true, defaultSource: "@pulumi/azure RegistryArgs.publicNetworkAccessEnabled: \"Defaults to `true`\"" },
        },
      },
    ],
  },
];

export function findTarget(id: string): Target | undefined {
  return TARGETS.find((t) => t.id === id);
}

export function armShape(target: Target): Shape | undefined {
  return target.shapes.find((s) => s.arm);
}

/**
 * Where each alias a target's ARM shape uses lives in the ARM resource document, for evaluating
 * the generated definitions offline: `properties.` + the path, or the path itself for envelope
 * fields; array fields also get their `[*]` alias.
 */
export function armAliasPaths(): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const target of TARGETS) {
    const shape = armShape(target);
    if (!shape) continue;
    for (const [field, binding] of Object.entries(shape.fields)) {
      const alias = armAlias(shape, field);
      const path = (binding.envelope ? [] : ["properties"]).concat(binding.path).join(".");
      paths[alias] = path;
      if (target.fields[field].type === "stringArray") paths[`${alias}[*]`] = `${path}[*]`;
    }
  }
  return paths;
}

/** The Azure Policy alias of a field: `<resource type>/<path joined by dots>`. */
export function armAlias(shape: Shape, field: string): string {
  const binding = shape.fields[field];
  if (!shape.arm || !binding) throw new Error(`no ARM binding for field '${field}' on shape '${shape.id}'`);
  return `${shape.arm.resourceType}/${binding.path.join(".")}`;
}
