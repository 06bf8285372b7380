/**
 * `pulumi preview --json`: a PreviewDigest whose `steps[]` carry `op` and `newState.inputs`
 * (pulumi/pulumi sdk/go/common/display/json.go `PreviewDigest`, `PreviewStep`); every step that
 * leaves a resource is judged by its new inputs.
 */
import { inputFormat, isObject, type NotJudged, type Obj } from "./contract";
import { stateResource } from "./pulumi-state";

interface PreviewDigest extends Obj {
  steps: Obj[];
}

// Steps after which the resource no longer exists (or is only read).
const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "read", "read-replacement", "remove-pending-replace"]);

export const preview = inputFormat({
  id: "preview",
  title: "`pulumi preview --json` output",
  shape: "a preview (steps[])",
  readme: "**`pulumi preview --json`**: each step's new inputs (`[secret]` is unknown). Pulumi's unknown values are unknown.",
  recognise: (data: unknown): data is PreviewDigest => isObject(data) && Array.isArray(data.steps) && data.steps.every((s) => isObject(s) && typeof s.op === "string"),
  read: (data) => {
    const notJudged: NotJudged[] = [];
    const resources = data.steps.flatMap((step, i) => {
      const old = isObject(step.oldState) ? step.oldState : undefined;
      const type = typeof step.type === "string" ? step.type : typeof old?.type === "string" ? old.type : undefined;
      const urn = typeof step.urn === "string" ? step.urn : undefined;
      const name = urn ? urn.slice(urn.lastIndexOf("::") + 2) : `step ${i}`;
      if (GONE.has(String(step.op))) {
        notJudged.push({ path: ["steps", i], type, name, message: `the step \`${String(step.op)}\` leaves no resource to judge` });
        return [];
      }
      if (!isObject(step.newState)) {
        notJudged.push({ path: ["steps", i], type, name, message: "the step has no `newState`" });
        return [];
      }
      return [stateResource(step.newState, ["steps", i, "newState"], i, true)];
    });
    return { resources, notJudged };
  },
});
