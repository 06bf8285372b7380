/**
 * Azure Kubernetes Service clusters: in ARM templates and azure-native (the same property tree), in
 * the classic azure provider, and in Terraform plans of azurerm (which the classic provider is bridged from).
 *
 * Paths checked against the installed provider type definitions (test/core/targets.test.ts):
 *   azure-native  containerservice/managedCluster.d.ts ManagedClusterArgs, types/input.d.ts
 *                 ManagedClusterAPIServerAccessProfileArgs, ManagedClusterAADProfileArgs, ManagedClusterSKUArgs
 *   azure classic containerservice/kubernetesCluster.d.ts KubernetesClusterArgs, types/input.d.ts
 *                 KubernetesClusterApiServerAccessProfile, KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl
 */
import { armTypeShape, defineTarget, pulumiShape, type Declaration, type FieldBinding } from "./define";

const AKS_API_ACCESS = "apiServerAccessProfile";
const AKS_PRIVATE_DOC = "https://learn.microsoft.com/azure/aks/private-clusters";
const ARM_AKS_DOC = "https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters";
const AKS_ENTRA_DOC = "https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id";
const AKS_AZURE_RBAC_DOC = "https://learn.microsoft.com/azure/aks/manage-azure-rbac";
const AKS_K8S_RBAC_DOC = "https://learn.microsoft.com/azure/aks/kubernetes-rbac-entra-id";
const AKS_LEGACY_ENTRA = 'https://aka.ms/aks/aad-legacy (Microsoft Entra Integration (legacy), deprecated June 1st, 2023: "no new clusters can be created with Microsoft Entra Integration (legacy)")';

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
      legacy:
        'ARM API versions of 2019 (2019-02-01 template in the AKS docs) and azure-native v1 containerservice/v20190601 ManagedClusterArgs.apiServerAuthorizedIPRanges ("(PREVIEW) Authorized IP Ranges to kubernetes API server"); Azure Policy alias Microsoft.ContainerService/managedClusters/apiServerAuthorizedIPRanges[*]',
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
    localAccountsDisabled: {
      path: ["disableLocalAccounts"],
      default: false,
      defaultSource: 'https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad ("When you deploy an AKS cluster, local accounts are enabled by default.")',
    },
    entraIdManaged: { path: ["aadProfile", "managed"], default: false, defaultSource: `${AKS_ENTRA_DOC} (opt-in; no aadProfile = no Microsoft Entra integration)` },
    // As written: null when absent, so a rule can tell an explicit `false` from the default.
    entraIdManagedAsWritten: { path: ["aadProfile", "managed"], default: null, defaultSource: "absent = not written (the cluster's default then applies)" },
    // The legacy (unmanaged) integration's applications: "(DEPRECATED) The server AAD application ID.
    // Learn more at https://aka.ms/aks/aad-legacy" (azure-native ManagedClusterAADProfileArgs).
    entraIdLegacyServerApp: { path: ["aadProfile", "serverAppID"], default: "", defaultSource: `${AKS_LEGACY_ENTRA} (absent = no legacy server application)` },
    entraIdLegacyClientApp: { path: ["aadProfile", "clientAppID"], default: "", defaultSource: `${AKS_LEGACY_ENTRA} (absent = no legacy client application)` },
    kubernetesRbac: { path: ["enableRBAC"], default: true, defaultSource: `${AKS_K8S_RBAC_DOC} ("Kubernetes RBAC is enabled by default during AKS cluster creation.")` },
    azureRbac: { path: ["aadProfile", "enableAzureRBAC"], default: false, defaultSource: `${AKS_AZURE_RBAC_DOC} (opt-in)` },
    // As written: null when absent, so a rule can tell an explicit `false` from the default.
    azureRbacAsWritten: { path: ["aadProfile", "enableAzureRBAC"], default: null, defaultSource: "absent = not written (the cluster's default then applies)" },
  };
}

/** ARM's managedClusters properties are azure-native's ManagedClusterArgs (the same property tree). */
const AKS_NATIVE_DECLARATIONS: Record<string, Declaration> = {
  "": { file: "azure-native/containerservice/managedCluster.d.ts", name: "ManagedClusterArgs" },
  apiServerAccessProfile: { file: "azure-native/types/input.d.ts", name: "ManagedClusterAPIServerAccessProfileArgs" },
  aadProfile: { file: "azure-native/types/input.d.ts", name: "ManagedClusterAADProfileArgs" },
  sku: { file: "azure-native/types/input.d.ts", name: "ManagedClusterSKUArgs" },
};

export const aks = defineTarget({
  id: "aks",
  title: "Azure Kubernetes Service cluster",
  cluster: "AKS",
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
    entraIdManagedAsWritten: { type: "boolean", description: "`entraIdManaged` as the request writes it (null when absent)." },
    entraIdLegacyServerApp: { type: "string", description: "The server application of the legacy (unmanaged) Microsoft Entra integration ('' when absent)." },
    entraIdLegacyClientApp: { type: "string", description: "The client application of the legacy (unmanaged) Microsoft Entra integration ('' when absent)." },
    kubernetesRbac: { type: "boolean", description: "Kubernetes role-based access control is enabled." },
    azureRbac: { type: "boolean", description: "Kubernetes authorization goes through Azure RBAC." },
    azureRbacAsWritten: { type: "boolean", description: "`azureRbac` as the request writes it (null when absent)." },
  },
  shapes: [
    pulumiShape({
      id: "azure-native",
      provider: "azure-native",
      pulumi: { full: "azure-native:containerservice:ManagedCluster", versioned: "azure-native:containerservice/v20240801:ManagedCluster" },
      declaredBy: AKS_NATIVE_DECLARATIONS,
      addressing: ["resourceGroupName", "resourceName"],
      fields: armAksFields(),
    }),
    armTypeShape({
      id: "arm",
      declaredBy: AKS_NATIVE_DECLARATIONS,
      arm: { resourceType: "Microsoft.ContainerService/managedClusters" },
      fields: armAksFields(),
    }),
    pulumiShape({
      id: "azure-classic",
      provider: "azure",
      pulumi: { full: "azure:containerservice/kubernetesCluster:KubernetesCluster", short: "azure:containerservice:KubernetesCluster" },
      declaredBy: {
        "": { file: "azure/containerservice/kubernetesCluster.d.ts", name: "KubernetesClusterArgs" },
        apiServerAccessProfile: { file: "azure/types/input.d.ts", name: "KubernetesClusterApiServerAccessProfile" },
        azureActiveDirectoryRoleBasedAccessControl: { file: "azure/types/input.d.ts", name: "KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl" },
      },
      // azurerm_kubernetes_cluster (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/kubernetes_cluster):
      // private_cluster_enabled, private_cluster_public_fqdn_enabled, private_dns_zone_id, run_command_enabled,
      // api_server_access_profile { authorized_ip_ranges, virtual_network_integration_enabled }. azurerm 3.x
      // spelled the latter `vnet_integration_enabled` and also had the top-level `api_server_authorized_ip_ranges`
      // (deprecated, removed in 4.0); both are still read, so an older plan cannot bypass a rule. The Entra ID block
      // `azure_active_directory_role_based_access_control` (at most one; 3.x: managed, tenant_id,
      // admin_group_object_ids, azure_rbac_enabled, client_app_id, server_app_id, server_app_secret; 4.x: tenant_id,
      // admin_group_object_ids, azure_rbac_enabled — azurerm 4.0 upgrade guide) is an object in the bridged inputs.
      terraform: {
        type: "azurerm_kubernetes_cluster",
        singleBlocks: ["api_server_access_profile", "azure_active_directory_role_based_access_control"],
        renamed: { "apiServerAccessProfile.vnetIntegrationEnabled": "apiServerAccessProfile.virtualNetworkIntegrationEnabled" },
        mergedInto: { apiServerAuthorizedIpRanges: "apiServerAccessProfile.authorizedIpRanges" },
      },
      fields: {
        privateCluster: { path: ["privateClusterEnabled"], default: false, defaultSource: '@pulumi/azure KubernetesClusterArgs.privateClusterEnabled: "Defaults to `false`"' },
        // Unlike ARM, the classic provider sends false when the property is omitted.
        publicFqdn: { path: ["privateClusterPublicFqdnEnabled"], default: false, defaultSource: '@pulumi/azure KubernetesClusterArgs.privateClusterPublicFqdnEnabled: "Defaults to `false`"' },
        authorizedIpRanges: { path: [AKS_API_ACCESS, "authorizedIpRanges"], default: [], defaultSource: "@pulumi/azure KubernetesClusterApiServerAccessProfile.authorizedIpRanges (optional, no ranges)" },
        privateDnsZone: { path: ["privateDnsZoneId"], default: "system", defaultSource: "@pulumi/azure KubernetesClusterArgs.privateDnsZoneId (`System` when omitted)" },
        runCommandDisabled: { path: ["runCommandEnabled"], inverted: true, default: false, defaultSource: '@pulumi/azure KubernetesClusterArgs.runCommandEnabled: "Defaults to `true`"' },
        vnetIntegration: { path: [AKS_API_ACCESS, "virtualNetworkIntegrationEnabled"], default: false, defaultSource: '@pulumi/azure KubernetesClusterApiServerAccessProfile.virtualNetworkIntegrationEnabled: "Defaults to `false`"' },
        legacyAuthorizedIpRanges: {
          path: ["apiServerAuthorizedIpRanges"],
          default: [],
          legacy: "@pulumi/azure before v6 KubernetesClusterArgs.apiServerAuthorizedIpRanges (azurerm api_server_authorized_ip_ranges, deprecated for api_server_access_profile and removed in azurerm 4.0 / @pulumi/azure v6)",
          defaultSource: "@pulumi/azure v5 KubernetesClusterArgs.apiServerAuthorizedIpRanges (optional, no ranges)",
        },
        localAccountsDisabled: { path: ["localAccountDisabled"], default: false, defaultSource: `@pulumi/azure KubernetesClusterArgs.localAccountDisabled ("If \`true\` local accounts will be disabled"; unset = enabled, ${AKS_ENTRA_DOC})` },
        // azurerm 4.x (@pulumi/azure 6.x) dropped `managed`: the block itself turns on AKS-managed Entra ID.
        entraIdManaged: {
          path: ["azureActiveDirectoryRoleBasedAccessControl"],
          present: true,
          default: false,
          defaultSource: "@pulumi/azure KubernetesClusterArgs.azureActiveDirectoryRoleBasedAccessControl (absent = no Microsoft Entra integration)",
        },
        // azurerm 3.x (@pulumi/azure 5.x) had `managed` ("Defaults to `false`") and the legacy integration's
        // applications; 4.0 removed them and always sends Managed: true. A v5 block written `managed: false`,
        // or with the legacy applications, is the legacy integration.
        entraIdManagedAsWritten: {
          path: ["azureActiveDirectoryRoleBasedAccessControl", "managed"],
          default: null,
          legacy: '@pulumi/azure before v6 KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl.managed (azurerm 3.x azure_active_directory_role_based_access_control.managed, "Defaults to `false`"; removed in azurerm 4.0)',
          defaultSource: "absent = not written",
        },
        entraIdLegacyServerApp: {
          path: ["azureActiveDirectoryRoleBasedAccessControl", "serverAppId"],
          default: "",
          legacy: '@pulumi/azure before v6 KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl.serverAppId (azurerm 3.x server_app_id, "When `managed` is set to `false`"; removed in azurerm 4.0)',
          defaultSource: "absent = no legacy server application",
        },
        entraIdLegacyClientApp: {
          path: ["azureActiveDirectoryRoleBasedAccessControl", "clientAppId"],
          default: "",
          legacy: '@pulumi/azure before v6 KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl.clientAppId (azurerm 3.x client_app_id, "When `managed` is set to `false`"; removed in azurerm 4.0)',
          defaultSource: "absent = no legacy client application",
        },
        kubernetesRbac: { path: ["roleBasedAccessControlEnabled"], default: true, defaultSource: '@pulumi/azure KubernetesClusterArgs.roleBasedAccessControlEnabled: "Defaults to `true`"' },
        azureRbac: {
          path: ["azureActiveDirectoryRoleBasedAccessControl", "azureRbacEnabled"],
          default: false,
          defaultSource: "@pulumi/azure KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl.azureRbacEnabled (optional; unset = Kubernetes RBAC only)",
        },
        azureRbacAsWritten: { path: ["azureActiveDirectoryRoleBasedAccessControl", "azureRbacEnabled"], default: null, defaultSource: "absent = not written" },
        // The classic provider has no AKS Automatic SKU, so nothing here may read as `Automatic`: a
        // skuTier written "Automatic" (which the provider rejects) maps to a non-SKU value.
        skuName: { path: ["skuTier"], valueMap: { automatic: false }, default: "Free", defaultSource: '@pulumi/azure KubernetesClusterArgs.skuTier: "Possible values are `Free`, `Standard` (which includes the Uptime SLA) and `Premium`"' },
      },
    }),
  ],
});
