/**
 * The official Azure Policy rule schema (../shared/azure/schemas, draft-04) with one documented
 * relaxation: `equals`/`notEquals` may take a boolean. The published schema types them number|string,
 * yet the service and Microsoft's own built-ins (e.g. `"notEquals": true` in the private-cluster
 * built-in) use boolean literals. Nothing else is relaxed; the external $refs are stubbed locally.
 */
import * as fs from "fs";
import AjvDraft04 from "ajv-draft-04";
import { sharedPath } from "./paths";

export const RELAXED_OPERATORS = ["equals", "notEquals"];

type Schema = { definitions: { condition: { allOf: { oneOf: { properties: Record<string, { type?: unknown }> }[] }[] } } };

export function officialPolicyRuleSchema(): Schema {
  return JSON.parse(fs.readFileSync(sharedPath("azure", "schemas", "policyDefinition-2020-10-01.json"), "utf8"));
}

/** Returns the relaxed schema and the operator entries the relaxation touched. */
export function relaxedPolicyRuleSchema(): { schema: Schema; touched: string[] } {
  const schema = officialPolicyRuleSchema();
  const touched: string[] = [];
  for (const branch of schema.definitions.condition.allOf[1].oneOf) {
    for (const [operator, def] of Object.entries(branch.properties)) {
      if (RELAXED_OPERATORS.includes(operator)) {
        def.type = [...(def.type as string[]), "boolean"];
        touched.push(operator);
      }
    }
  }
  return { schema, touched };
}

export function policyRuleValidator(schema: object) {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  ajv.addSchema({
    id: "https://schema.management.azure.com/schemas/common/definitions.json",
    definitions: { expression: { type: "string", pattern: "^\\[(\\[)?[^\\[].*\\]$" } },
  });
  ajv.addSchema({
    id: "https://schema.management.azure.com/schemas/2018-05-01/Microsoft.Resources.json",
    definitions: { DeploymentProperties: { type: "object" } },
  });
  return ajv.compile(schema);
}
