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
 * test/core/targets.test.ts re-reads those .d.ts files so a provider upgrade that renames a property fails CI.
 */

export type FieldType = "boolean" | "string" | "stringArray" | "objectArray";
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
   * declare; the citation of where it is declared (test/core/targets.test.ts checks it instead of the .d.ts).
   */
  legacy?: string;
  /** The logical value is whether the property is set at all (a provider block whose presence enables a feature). */
  present?: boolean;
  /**
   * objectArray fields: how each element's fields are stored. An empty `path` means the resource
   * itself is the one element (a standalone child resource such as a network security rule).
   */
  elements?: Record<string, FieldBinding>;
  /** The Azure Policy alias path, where it is not the property path (ARM wraps array elements in `properties`). */
  aliasPath?: string[];
}

/** A TypeScript interface in an installed @pulumi provider package (path below node_modules/@pulumi). */
export interface Declaration {
  file: string;
  name: string;
}

export interface Shape {
  id: string;
  /** Case-insensitive regular expression source matching the resource type token. */
  typePattern: string;
  /** Human-readable type tokens, for docs. */
  typeNames: string[];
  /**
   * The installed provider type definitions that declare this shape's properties, by path prefix
   * ("" = the resource's own arguments; `<field>[]` = one element of an array field, which for a
   * standalone child resource is the resource itself). test/core/targets.test.ts reads each property's
   * declaration there, so a provider upgrade that renames one fails CI. Absent only for shapes whose
   * provider package is not installed: their defaults cite the cloud's documentation instead.
   */
  declaredBy?: Record<string, Declaration>;
  /** ARM shapes are what Azure Policy evaluates; their paths sit below `properties`. */
  arm?: {
    resourceType: string;
    /** false for types without tags and location (child resources), which `Indexed` definitions never evaluate. */
    tagsAndLocation?: false;
  };
  fields: Record<string, FieldBinding>;
  /** Pulumi shapes: the id of the ARM shape that describes the same resource (default: the target's first ARM shape). */
  armPeer?: string;
}

export interface LogicalField {
  type: FieldType;
  description: string;
  /** objectArray fields: the fields of one element. */
  elements?: Record<string, LogicalField>;
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
const AKS_ENTRA_DOC = "https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id";
const AKS_AZURE_RBAC_DOC = "https://learn.microsoft.com/azure/aks/manage-azure-rbac";
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
    // Aliases: `…/disableLocalAccounts` (built-in 993c2fcd), `…/aadProfile` (450d2877) and
    // `…/aadProfile.adminGroupObjectIDs[*]` (36a27de4) appear in Microsoft's built-ins;
    // `…/aadProfile.managed` and `…/aadProfile.enableAzureRBAC` follow the same property-path
    // convention but no built-in uses them (confirm with Get-AzPolicyAlias before relying on them).
    localAccountsDisabled: { path: ["disableLocalAccounts"], default: false, defaultSource: "https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad (\"When you deploy an AKS cluster, local accounts are enabled by default.\")" },
    entraIdManaged: { path: ["aadProfile", "managed"], default: false, defaultSource: `${AKS_ENTRA_DOC} (opt-in; no aadProfile = no Microsoft Entra integration)` },
    azureRbac: { path: ["aadProfile", "enableAzureRBAC"], default: false, defaultSource: `${AKS_AZURE_RBAC_DOC} (opt-in)` },
    // As written: null when absent, so a rule can tell an explicit `false` from the default.
    azureRbacAsWritten: { path: ["aadProfile", "enableAzureRBAC"], default: null, defaultSource: "absent = not written (the cluster's default then applies)" },
  };
}

/** ARM (and azure-native) store registry public access as an "Enabled"/"Disabled" string. */
const ACR_PUBLIC_NETWORK_ACCESS: FieldBinding = {
  path: ["publicNetworkAccess"],
  valueMap: { enabled: true, disabled: false },
  default: true,
  defaultSource: "https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks (Enabled by default)",
};

/**
 * Network security rules, the same six properties on every shape (azure-native SecurityRuleArgs,
 * @pulumi/azure NetworkSecurityGroupSecurityRule and NetworkSecurityRuleArgs, ARM
 * Microsoft.Network/networkSecurityGroups/securityRules: https://learn.microsoft.com/azure/templates/microsoft.network/networksecuritygroups/securityrules).
 * `access` and `direction` are required by the API and every provider's types, so they have no
 * default; an absent one is judged as `Allow`/`Inbound`, so leaving it out can never pass a rule.
 * Aliases: `Microsoft.Network/networkSecurityGroups/securityRules[*].<name>` (inline; "Azure Policy
 * pattern: the count operator", https://learn.microsoft.com/azure/governance/policy/samples/pattern-count-operator)
 * and `.../securityRules/<name>` (standalone, as Microsoft's built-ins e372f825 and 2c89a2e5 use them).
 */
function nsgRules(path: string[], elementPrefix: string[]): FieldBinding {
  const REQUIRED = "required by the API (SecurityRuleArgs); absent is judged as the permissive value, so omission never passes";
  const element = (name: string, dflt: FieldValue, source: string): FieldBinding => ({
    path: [...elementPrefix, name],
    default: dflt,
    defaultSource: source,
    ...(elementPrefix.length > 0 ? { aliasPath: [name] } : {}),
  });
  return {
    path,
    default: [],
    defaultSource: "no inline rules when absent",
    elements: {
      access: element("access", "Allow", REQUIRED),
      direction: element("direction", "Inbound", REQUIRED),
      sourceAddressPrefix: element("sourceAddressPrefix", "", "optional; absent = this form is not used"),
      sourceAddressPrefixes: element("sourceAddressPrefixes", [], "optional; absent = no sources in this form"),
      destinationPortRange: element("destinationPortRange", "", "optional; absent = this form is not used"),
      destinationPortRanges: element("destinationPortRanges", [], "optional; absent = no ports in this form"),
    },
  };
}

/** [type token tail, property, default source] of a private DNS resource in each provider. */
type PrivateDnsBinding = [type: string, property: string, source: string];

/** A private DNS resource read through one string field, in azure-native (`privatedns`) and classic (`privatedns/…`). */
function privateDnsTarget(id: string, title: string, field: string, description: string, p: { native: PrivateDnsBinding; classic: PrivateDnsBinding }): Target {
  const [nativeType, nativePath, nativeSource] = p.native;
  const [classicType, classicPath, classicSource] = p.classic;
  return {
    id,
    title,
    fields: { [field]: { type: "string", description } },
    shapes: [
      {
        id: "azure-native",
        typePattern: `^azure-native:privatedns(/v[0-9a-z]+)?:${nativeType.toLowerCase()}$`,
        typeNames: [`azure-native:privatedns:${nativeType}`, `azure-native:privatedns/v*:${nativeType}`],
        declaredBy: { "": { file: `azure-native/privatedns/${nativeType.charAt(0).toLowerCase()}${nativeType.slice(1)}.d.ts`, name: `${nativeType}Args` } },
        fields: { [field]: { path: [nativePath], default: "", defaultSource: nativeSource } },
      },
      {
        id: "azure-classic",
        typePattern: `^azure:privatedns/${classicType.toLowerCase()}$`,
        typeNames: [`azure:privatedns/${classicType}`],
        declaredBy: { "": { file: `azure/privatedns/${classicType.split(":")[0]}.d.ts`, name: `${classicType.split(":")[1]}Args` } },
        fields: { [field]: { path: [classicPath], default: "", defaultSource: classicSource } },
      },
    ],
  };
}

/** ARM's managedClusters properties are azure-native's ManagedClusterArgs (the same property tree). */
const AKS_NATIVE_DECLARATIONS: Record<string, Declaration> = {
  "": { file: "azure-native/containerservice/managedCluster.d.ts", name: "ManagedClusterArgs" },
  apiServerAccessProfile: { file: "azure-native/types/input.d.ts", name: "ManagedClusterAPIServerAccessProfileArgs" },
  aadProfile: { file: "azure-native/types/input.d.ts", name: "ManagedClusterAADProfileArgs" },
  sku: { file: "azure-native/types/input.d.ts", name: "ManagedClusterSKUArgs" },
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
      localAccountsDisabled: { type: "boolean", description: "Local (static credential) accounts are disabled." },
      entraIdManaged: { type: "boolean", description: "AKS-managed Microsoft Entra ID integration is enabled." },
      azureRbac: { type: "boolean", description: "Kubernetes authorization goes through Azure RBAC." },
      azureRbacAsWritten: { type: "boolean", description: "`azureRbac` as the request writes it (null when absent)." },
    },
    shapes: [
      {
        id: "azure-native",
        typePattern: "^azure-native:containerservice(/v[0-9a-z]+)?:managedcluster$",
        typeNames: ["azure-native:containerservice:ManagedCluster", "azure-native:containerservice/v*:ManagedCluster"],
        declaredBy: AKS_NATIVE_DECLARATIONS,
        fields: armAksFields(),
      },
      {
        id: "arm",
        typePattern: "^microsoft\\.containerservice/managedclusters$",
        typeNames: ["Microsoft.ContainerService/managedClusters"],
        declaredBy: AKS_NATIVE_DECLARATIONS,
        arm: { resourceType: "Microsoft.ContainerService/managedClusters" },
        fields: armAksFields(),
      },
      {
        id: "azure-classic",
        typePattern: "^azure:containerservice/kubernetescluster:kubernetescluster$",
        typeNames: ["azure:containerservice/kubernetesCluster:KubernetesCluster"],
        declaredBy: {
          "": { file: "azure/containerservice/kubernetesCluster.d.ts", name: "KubernetesClusterArgs" },
          apiServerAccessProfile: { file: "azure/types/input.d.ts", name: "KubernetesClusterApiServerAccessProfile" },
          azureActiveDirectoryRoleBasedAccessControl: { file: "azure/types/input.d.ts", name: "KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl" },
        },
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
          localAccountsDisabled: { path: ["localAccountDisabled"], default: false, defaultSource: `@pulumi/azure KubernetesClusterArgs.localAccountDisabled ("If \`true\` local accounts will be disabled"; unset = enabled, ${AKS_ENTRA_DOC})` },
          // azurerm 4.x (@pulumi/azure 6.x) dropped `managed`: the block itself turns on AKS-managed Entra ID.
          entraIdManaged: { path: ["azureActiveDirectoryRoleBasedAccessControl"], present: true, default: false, defaultSource: "@pulumi/azure KubernetesClusterArgs.azureActiveDirectoryRoleBasedAccessControl (absent = no Microsoft Entra integration)" },
          azureRbac: { path: ["azureActiveDirectoryRoleBasedAccessControl", "azureRbacEnabled"], default: false, defaultSource: "@pulumi/azure KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl.azureRbacEnabled (optional; unset = Kubernetes RBAC only)" },
          azureRbacAsWritten: { path: ["azureActiveDirectoryRoleBasedAccessControl", "azureRbacEnabled"], default: null, defaultSource: "absent = not written" },
          // The classic provider has no AKS Automatic SKU, so nothing here may read as `Automatic`: a
          // skuTier written "Automatic" (which the provider rejects) maps to a non-SKU value.
          skuName: { path: ["skuTier"], valueMap: { automatic: false }, default: "Free", defaultSource: "@pulumi/azure KubernetesClusterArgs.skuTier: \"Possible values are `Free`, `Standard` (which includes the Uptime SLA) and `Premium`\"" },
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
        declaredBy: {
          "": { file: "aws/eks/cluster.d.ts", name: "ClusterArgs" },
          vpcConfig: { file: "aws/types/input.d.ts", name: "ClusterVpcConfig" },
        },
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
        declaredBy: { "": { file: "azure-native/containerregistry/registry.d.ts", name: "RegistryArgs" } },
        fields: { publicNetworkAccess: ACR_PUBLIC_NETWORK_ACCESS },
      },
      {
        id: "arm",
        typePattern: "^microsoft\\.containerregistry/registries$",
        typeNames: ["Microsoft.ContainerRegistry/registries"],
        declaredBy: { "": { file: "azure-native/containerregistry/registry.d.ts", name: "RegistryArgs" } },
        arm: { resourceType: "Microsoft.ContainerRegistry/registries" },
        fields: { publicNetworkAccess: ACR_PUBLIC_NETWORK_ACCESS },
      },
      {
        id: "azure-classic",
        typePattern: "^azure:containerservice/registry:registry$",
        typeNames: ["azure:containerservice/registry:Registry"],
        declaredBy: { "": { file: "azure/containerservice/registry.d.ts", name: "RegistryArgs" } },
        fields: {
          publicNetworkAccess: { path: ["publicNetworkAccessEnabled"], default: true, defaultSource: "@pulumi/azure RegistryArgs.publicNetworkAccessEnabled: \"Defaults to `true`\"" },
        },
      },
    ],
  },
  {
    id: "nsg",
    title: "Network security rules (inline in a network security group, or standalone)",
    fields: {
      securityRules: {
        type: "objectArray",
        description: "The security rules: a group's inline `securityRules`, or a standalone rule itself.",
        elements: {
          access: { type: "string", description: "`Allow` or `Deny`." },
          direction: { type: "string", description: "`Inbound` or `Outbound`." },
          sourceAddressPrefix: { type: "string", description: "One source: a CIDR, an IP, `*` or a service tag such as `Internet`." },
          sourceAddressPrefixes: { type: "stringArray", description: "Several sources." },
          destinationPortRange: { type: "string", description: "One destination port, a range `a-b`, or `*`." },
          destinationPortRanges: { type: "stringArray", description: "Several destination ports or ranges." },
        },
      },
    },
    shapes: [
      { id: "azure-native-group", typePattern: "^azure-native:network(/v[0-9a-z]+)?:networksecuritygroup$", typeNames: ["azure-native:network:NetworkSecurityGroup", "azure-native:network/v*:NetworkSecurityGroup"], armPeer: "arm-group", declaredBy: { "": { file: "azure-native/network/networkSecurityGroup.d.ts", name: "NetworkSecurityGroupArgs" }, "securityRules[]": { file: "azure-native/types/input.d.ts", name: "SecurityRuleArgs" } }, fields: { securityRules: nsgRules(["securityRules"], []) } },
      { id: "azure-native-rule", typePattern: "^azure-native:network(/v[0-9a-z]+)?:securityrule$", typeNames: ["azure-native:network:SecurityRule", "azure-native:network/v*:SecurityRule"], armPeer: "arm-rule", declaredBy: { "securityRules[]": { file: "azure-native/network/securityRule.d.ts", name: "SecurityRuleArgs" } }, fields: { securityRules: nsgRules([], []) } },
      { id: "azure-classic-group", typePattern: "^azure:network/networksecuritygroup:networksecuritygroup$", typeNames: ["azure:network/networkSecurityGroup:NetworkSecurityGroup"], armPeer: "arm-group", declaredBy: { "": { file: "azure/network/networkSecurityGroup.d.ts", name: "NetworkSecurityGroupArgs" }, "securityRules[]": { file: "azure/types/input.d.ts", name: "NetworkSecurityGroupSecurityRule" } }, fields: { securityRules: nsgRules(["securityRules"], []) } },
      { id: "azure-classic-rule", typePattern: "^azure:network/networksecurityrule:networksecurityrule$", typeNames: ["azure:network/networkSecurityRule:NetworkSecurityRule"], armPeer: "arm-rule", declaredBy: { "securityRules[]": { file: "azure/network/networkSecurityRule.d.ts", name: "NetworkSecurityRuleArgs" } }, fields: { securityRules: nsgRules([], []) } },
      {
        id: "arm-group",
        typePattern: "^microsoft\\.network/networksecuritygroups$",
        typeNames: ["Microsoft.Network/networkSecurityGroups"],
        declaredBy: {
          "": { file: "azure-native/network/networkSecurityGroup.d.ts", name: "NetworkSecurityGroupArgs" },
          // ARM element aliases are azure-native's flattened SecurityRuleArgs names (ARM nests them under `properties`).
          "securityRules[]": { file: "azure-native/types/input.d.ts", name: "SecurityRuleArgs" },
        },
        arm: { resourceType: "Microsoft.Network/networkSecurityGroups" },
        // ARM wraps each inline rule's settings in `properties`; the alias `securityRules[*].access` does not.
        fields: { securityRules: nsgRules(["securityRules"], ["properties"]) },
      },
      {
        id: "arm-rule",
        typePattern: "^microsoft\\.network/networksecuritygroups/securityrules$",
        typeNames: ["Microsoft.Network/networkSecurityGroups/securityRules"],
        declaredBy: { "securityRules[]": { file: "azure-native/network/securityRule.d.ts", name: "SecurityRuleArgs" } },
        arm: { resourceType: "Microsoft.Network/networkSecurityGroups/securityRules", tagsAndLocation: false },
        fields: { securityRules: nsgRules([], []) },
      },
    ],
  },
  privateDnsTarget("dnsZone", "Private DNS zone", "name", "The zone's name, e.g. `privatelink.westeurope.azmk8s.io`.", {
    native: ["PrivateZone", "privateZoneName", "@pulumi/azure-native PrivateZoneArgs.privateZoneName (optional: Pulumi auto-names it, which is never an AKS zone name)"],
    classic: ["zone:Zone", "name", "@pulumi/azure ZoneArgs.name (optional: Pulumi auto-names it, which is never an AKS zone name)"],
  }),
  privateDnsTarget("dnsZoneLink", "Virtual network link of a private DNS zone", "zoneName", "The name of the private DNS zone the link belongs to.", {
    native: ["VirtualNetworkLink", "privateZoneName", "@pulumi/azure-native VirtualNetworkLinkArgs.privateZoneName (required)"],
    classic: ["zoneVirtualNetworkLink:ZoneVirtualNetworkLink", "privateDnsZoneName", "@pulumi/azure ZoneVirtualNetworkLinkArgs.privateDnsZoneName (required)"],
  }),
];

export function findTarget(id: string): Target | undefined {
  return TARGETS.find((t) => t.id === id);
}

export function armShape(target: Target): Shape | undefined {
  return target.shapes.find((s) => s.arm);
}


/** The Azure Policy alias of a field: `<resource type>/<path joined by dots>`. */
export function armAlias(shape: Shape, field: string): string {
  const binding = shape.fields[field];
  if (!shape.arm || !binding) throw new Error(`no ARM binding for field '${field}' on shape '${shape.id}'`);
  return `${shape.arm.resourceType}/${(binding.aliasPath ?? binding.path).join(".")}`;
}

/** The ARM shapes of a target, each of which a definition judges with its own aliases. */
export function armShapes(target: Target): Shape[] {
  return target.shapes.filter((s) => s.arm);
}

/**
 * Where each alias the targets' ARM shapes use lives in the ARM resource document, for evaluating
 * the generated definitions offline: `properties.` + the path, or the path itself for envelope
 * fields (`sku.name`); array fields also get their `[*]` alias; array elements that ARM wraps in
 * `properties` map their alias path onto the element's property path.
 */
export function armAliasPaths(): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const target of TARGETS) {
    for (const shape of armShapes(target)) {
      for (const [field, binding] of Object.entries(shape.fields)) {
        if (binding.path.length === 0) {
          // A standalone sub-resource (a security rule) is itself the element: `<type>/<name>` reads `properties.<name>`.
          for (const [name, element] of Object.entries(binding.elements ?? {})) {
            const alias = `${shape.arm!.resourceType}/${(element.aliasPath ?? element.path).join(".")}`;
            paths[alias] = `properties.${element.path.join(".")}`;
            if (target.fields[field].elements?.[name].type === "stringArray") paths[`${alias}[*]`] = `${paths[alias]}[*]`;
          }
          continue;
        }
        if (!binding.elements) {
          const alias = armAlias(shape, field);
          const path = (binding.envelope ? [] : ["properties"]).concat(binding.path).join(".");
          paths[alias] = path;
          if (target.fields[field].type === "stringArray") paths[`${alias}[*]`] = `${path}[*]`;
          continue;
        }
        const array = binding.path.join(".");
        paths[`${shape.arm!.resourceType}/${array}[*]`] = `properties.${array}[*]`;
        for (const [name, element] of Object.entries(binding.elements)) {
          if (!element.aliasPath) continue;
          const alias = `${shape.arm!.resourceType}/${array}[*].${element.aliasPath.join(".")}`;
          const elementPath = `properties.${array}[*].${element.path.join(".")}`;
          paths[alias] = elementPath;
          if (target.fields[field].elements?.[name].type === "stringArray") paths[`${alias}[*]`] = `${elementPath}[*]`;
        }
      }
    }
  }
  return paths;
}

/**
 * The Azure Policy mode a target's definition needs: `Indexed` ("only evaluate resource types that
 * support tags and location", Azure Policy definition structure basics,
 * https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-basics#mode) unless one of its ARM types has neither; then `All`,
 * as Microsoft's built-ins for network security rules do.
 */
export function azurePolicyMode(target: Target): "All" | "Indexed" {
  return target.shapes.some((s) => s.arm?.tagsAndLocation === false) ? "All" : "Indexed";
}

/** Whether an ARM type supports tags and location; types apiguard does not model are assumed to. */
export function supportsTagsAndLocation(resourceType: string): boolean {
  const type = resourceType.toLowerCase();
  const shape = TARGETS.flatMap((t) => t.shapes).find((s) => s.arm?.resourceType.toLowerCase() === type);
  return shape?.arm?.tagsAndLocation !== false;
}
