/** `pulumi stack export`: the stack's resources, judged by their inputs (pulumi-state.ts decodes secrets). */
import { DocumentError, inputFormat, isObject, type Obj } from "./contract";
import { stateResource } from "./pulumi-state";

interface StackExport extends Obj {
  deployment: Obj;
}

export const stackExport = inputFormat({
  id: "stack-export",
  title: "stack exports",
  shape: "a stack export (deployment.resources[])",
  readme:
    "**`pulumi stack export`**: every resource's inputs (secrets exported with `--show-secrets` are decoded; ciphertext is " +
    "unknown; inputs that are one secret or one unknown value make every rule that reads them unknown, never judged from " +
    "outputs). Pulumi's unknown values are unknown.",
  recognise: (data: unknown): data is StackExport => isObject(data) && isObject(data.deployment) && Array.isArray(data.deployment.resources ?? []),
  read: (data) => {
    const resources = Array.isArray(data.deployment.resources) ? data.deployment.resources : [];
    const found = resources.map((r: unknown, i: number) => {
      if (!isObject(r)) throw new DocumentError(["deployment", "resources", i], "a resource state must be an object");
      return stateResource(r, ["deployment", "resources", i], i, false);
    });
    return { resources: found, notJudged: [] };
  },
});
