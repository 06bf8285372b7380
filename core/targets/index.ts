/**
 * The target registry: every kind of resource apiguard judges, one module each (core/targets/<id>.ts,
 * built with the helpers of define.ts), and what the backends ask of them. Backends never hard-code a
 * property path, a type token or a target id; they ask here.
 */
import { acr } from "./acr";
import { aks } from "./aks";
import { aksNodePool } from "./aks-node-pool";
import type { Shape, Target, TerraformMapping } from "./define";
import { dnsZoneLink } from "./dns-zone-link";
import { dnsZone } from "./dns-zone";
import { eks } from "./eks";
import { fleet } from "./fleet";
import { nic } from "./nic";
import { nsg } from "./nsg";
import { matchShape } from "../semantics/semantics";

export type { Declaration, FieldBinding, FieldType, FieldValue, LogicalField, Provider, PulumiTokens, Scalar, Shape, Target, TerraformMapping } from "./define";
export { pulumiTypePattern } from "./define";

/** Keyed by id, so a target id is a type and looking one up cannot fail. */
const REGISTRY = {
  [aks.id]: aks,
  [aksNodePool.id]: aksNodePool,
  [fleet.id]: fleet,
  [eks.id]: eks,
  [acr.id]: acr,
  [nsg.id]: nsg,
  [nic.id]: nic,
  [dnsZone.id]: dnsZone,
  [dnsZoneLink.id]: dnsZoneLink,
};

export type TargetId = keyof typeof REGISTRY;

/** Every target, in the order docs and the pack list them. */
export const TARGETS: readonly Target<TargetId>[] = [aks, aksNodePool, fleet, eks, acr, nsg, nic, dnsZone, dnsZoneLink];

export function isTargetId(id: string): id is TargetId {
  return Object.hasOwn(REGISTRY, id);
}

export function targetById(id: TargetId): Target<TargetId> {
  return REGISTRY[id];
}

/** The abbreviations of the Kubernetes clusters whose API servers apiguard guards (`AKS, EKS`), for the pack's description. */
export function clusterNames(): string[] {
  return TARGETS.flatMap((t) => (t.cluster ? [t.cluster] : []));
}

/**
 * Every target and shape a resource type token (Pulumi or ARM) belongs to, in registry order. One
 * resource can be judged by several targets: a managed cluster by `aks` for itself and by
 * `aksNodePool` for its inline node pools.
 */
export function shapesOfType(type: string): { target: Target<TargetId>; shape: Shape }[] {
  return TARGETS.flatMap((target) => {
    const shape = matchShape(target.shapes, type);
    return shape ? [{ target, shape }] : [];
  });
}

/** The first target and shape a resource type token belongs to (see shapesOfType), if apiguard knows it. */
export function shapeOfType(type: string): { target: Target<TargetId>; shape: Shape } | undefined {
  return shapesOfType(type)[0];
}

/** A shape with an ARM resource type: what Azure Policy evaluates. */
export type ArmShape = Shape & { arm: NonNullable<Shape["arm"]> };

const isArmShape = (s: Shape): s is ArmShape => s.arm !== undefined;

export function armShape(target: Target): ArmShape | undefined {
  return target.shapes.find(isArmShape);
}

/** The Azure Policy alias of a field: `<resource type>/<path joined by dots>`. */
export function armAlias(shape: Shape, field: string): string {
  const binding = shape.fields[field];
  if (!shape.arm || !binding) throw new Error(`no ARM binding for field '${field}' on shape '${shape.id}'`);
  return binding.policyField ?? `${shape.arm.resourceType}/${(binding.aliasPath ?? binding.path).join(".")}`;
}

/** The ARM shapes of a target, each of which a definition judges with its own aliases. */
export function armShapes(target: Target): ArmShape[] {
  return target.shapes.filter(isArmShape);
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
            const alias = `${shape.arm.resourceType}/${(element.aliasPath ?? element.path).join(".")}`;
            paths[alias] = `properties.${element.path.join(".")}`;
            if (target.fields[field].elements?.[name].type === "stringArray") paths[`${alias}[*]`] = `${paths[alias]}[*]`;
          }
          continue;
        }
        if (binding.policyField) continue; // a built-in field (tags), not an alias
        if (!binding.elements) {
          const alias = armAlias(shape, field);
          const path = (binding.envelope ? [] : ["properties"]).concat(binding.path).join(".");
          paths[alias] = path;
          if (target.fields[field].type === "stringArray") paths[`${alias}[*]`] = `${path}[*]`;
          continue;
        }
        const array = binding.path.join(".");
        paths[`${shape.arm.resourceType}/${array}[*]`] = `properties.${array}[*]`;
        for (const [name, element] of Object.entries(binding.elements)) {
          const alias = `${shape.arm.resourceType}/${array}[*].${(element.aliasPath ?? element.path).join(".")}`;
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

/** The Terraform resource types apiguard maps onto a bridged Pulumi shape, with their mappings. */
export function terraformMappings(): TerraformMapping[] {
  return TARGETS.flatMap((t) => t.shapes.flatMap((s) => (s.terraform ? [s.terraform] : [])));
}

/** The Pulumi shape a Terraform resource type maps onto (a provider bridged from Terraform), if any. */
export function terraformShape(terraformType: string): (Shape & { terraform: NonNullable<Shape["terraform"]>; pulumi: NonNullable<Shape["pulumi"]> }) | undefined {
  for (const shape of TARGETS.flatMap((t) => t.shapes)) {
    if (shape.terraform?.type === terraformType && shape.pulumi) return { ...shape, terraform: shape.terraform, pulumi: shape.pulumi };
  }
  return undefined;
}
