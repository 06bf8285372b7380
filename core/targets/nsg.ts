/**
 * Network security rules, inline in a network security group or standalone, in ARM, azure-native and
 * the classic azure provider: the same seven properties on every shape (azure-native SecurityRuleArgs,
 * @pulumi/azure NetworkSecurityGroupSecurityRule and NetworkSecurityRuleArgs, ARM
 * Microsoft.Network/networkSecurityGroups/securityRules: https://learn.microsoft.com/azure/templates/microsoft.network/networksecuritygroups/securityrules).
 * `access`, `direction` and `protocol` are required by the API and every provider's types, so they
 * have no default; an absent one is judged as `Allow`/`Inbound`/`*`, so leaving it out can never pass a rule.
 * Aliases: `Microsoft.Network/networkSecurityGroups/securityRules[*].<name>` (inline; "Azure Policy
 * pattern: the count operator", https://learn.microsoft.com/azure/governance/policy/samples/pattern-count-operator)
 * and `.../securityRules/<name>` (standalone, as Microsoft's built-ins e372f825 and 2c89a2e5 use them).
 */
import { armTypeShape, defineTarget, pulumiShape, type FieldBinding, type FieldValue } from "./define";

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
      // "Protocol: TCP, UDP, ICMP, ESP, AH, or Any" (Azure network security groups overview,
      // https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview); the APIs
      // spell Any `*` (azure-native SecurityRuleProtocol, @pulumi/azure "`*` (which matches all)").
      protocol: element("protocol", "*", REQUIRED),
      sourceAddressPrefix: element("sourceAddressPrefix", "", "optional; absent = this form is not used"),
      sourceAddressPrefixes: element("sourceAddressPrefixes", [], "optional; absent = no sources in this form"),
      destinationPortRange: element("destinationPortRange", "", "optional; absent = this form is not used"),
      destinationPortRanges: element("destinationPortRanges", [], "optional; absent = no ports in this form"),
    },
  };
}

export const nsg = defineTarget({
  id: "nsg",
  title: "Network security rules (inline in a network security group, or standalone)",
  fields: {
    securityRules: {
      type: "objectArray",
      description: "The security rules: a group's inline `securityRules`, or a standalone rule itself.",
      elements: {
        access: { type: "string", description: "`Allow` or `Deny`." },
        direction: { type: "string", description: "`Inbound` or `Outbound`." },
        protocol: { type: "string", description: "`Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*` (any)." },
        sourceAddressPrefix: { type: "string", description: "One source: a CIDR, an IP, `*` or a service tag such as `Internet`." },
        sourceAddressPrefixes: { type: "stringArray", description: "Several sources." },
        destinationPortRange: { type: "string", description: "One destination port, a range `a-b`, or `*`." },
        destinationPortRanges: { type: "stringArray", description: "Several destination ports or ranges." },
      },
    },
  },
  shapes: [
    pulumiShape({
      id: "azure-native-group",
      provider: "azure-native",
      pulumi: { full: "azure-native:network:NetworkSecurityGroup", versioned: "azure-native:network/v20240501:NetworkSecurityGroup" },
      armPeer: "arm-group",
      declaredBy: { "": { file: "azure-native/network/networkSecurityGroup.d.ts", name: "NetworkSecurityGroupArgs" }, "securityRules[]": { file: "azure-native/types/input.d.ts", name: "SecurityRuleArgs" } },
      addressing: ["resourceGroupName", "networkSecurityGroupName"],
      fields: { securityRules: nsgRules(["securityRules"], []) },
    }),
    pulumiShape({
      id: "azure-native-rule",
      provider: "azure-native",
      pulumi: { full: "azure-native:network:SecurityRule", versioned: "azure-native:network/v20240501:SecurityRule" },
      armPeer: "arm-rule",
      declaredBy: { "securityRules[]": { file: "azure-native/network/securityRule.d.ts", name: "SecurityRuleArgs" } },
      addressing: ["resourceGroupName", "networkSecurityGroupName", "securityRuleName"],
      fields: { securityRules: nsgRules([], []) },
    }),
    pulumiShape({
      id: "azure-classic-group",
      provider: "azure",
      pulumi: { full: "azure:network/networkSecurityGroup:NetworkSecurityGroup", short: "azure:network:NetworkSecurityGroup" },
      armPeer: "arm-group",
      declaredBy: { "": { file: "azure/network/networkSecurityGroup.d.ts", name: "NetworkSecurityGroupArgs" }, "securityRules[]": { file: "azure/types/input.d.ts", name: "NetworkSecurityGroupSecurityRule" } },
      // azurerm_network_security_group (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_security_group):
      // inline `security_rule` blocks with the attributes of a standalone rule (access, direction,
      // source_address_prefix(es), destination_port_range(s) …), bridged as NetworkSecurityGroupArgs.securityRules.
      terraform: { type: "azurerm_network_security_group", singleBlocks: [], repeatedBlocks: { security_rule: "securityRules" } },
      fields: { securityRules: nsgRules(["securityRules"], []) },
    }),
    pulumiShape({
      id: "azure-classic-rule",
      provider: "azure",
      pulumi: { full: "azure:network/networkSecurityRule:NetworkSecurityRule", short: "azure:network:NetworkSecurityRule" },
      armPeer: "arm-rule",
      declaredBy: { "securityRules[]": { file: "azure/network/networkSecurityRule.d.ts", name: "NetworkSecurityRuleArgs" } },
      // azurerm_network_security_rule (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_security_rule):
      // the same attribute names as an inline rule, bridged as NetworkSecurityRuleArgs.
      terraform: { type: "azurerm_network_security_rule", singleBlocks: [] },
      fields: { securityRules: nsgRules([], []) },
    }),
    armTypeShape({
      id: "arm-group",
      declaredBy: {
        "": { file: "azure-native/network/networkSecurityGroup.d.ts", name: "NetworkSecurityGroupArgs" },
        // ARM element aliases are azure-native's flattened SecurityRuleArgs names (ARM nests them under `properties`).
        "securityRules[]": { file: "azure-native/types/input.d.ts", name: "SecurityRuleArgs" },
      },
      arm: { resourceType: "Microsoft.Network/networkSecurityGroups" },
      // ARM wraps each inline rule's settings in `properties`; the alias `securityRules[*].access` does not.
      fields: { securityRules: nsgRules(["securityRules"], ["properties"]) },
    }),
    armTypeShape({
      id: "arm-rule",
      declaredBy: { "securityRules[]": { file: "azure-native/network/securityRule.d.ts", name: "SecurityRuleArgs" } },
      arm: { resourceType: "Microsoft.Network/networkSecurityGroups/securityRules", tagsAndLocation: false },
      fields: { securityRules: nsgRules([], []) },
    }),
  ],
});
