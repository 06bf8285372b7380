/**
 * Other tools' labelled test fixtures (test/cli/evaluate/samples, sources in its README.md) through
 * `apiguard evaluate`: what their authors labelled open is judged open, in both engines; nothing in
 * them is skipped in silence.
 */
import * as path from "path";
import { main } from "../../../cli";
import { REPO } from "../../helpers/paths";

const SAMPLES = path.join(__dirname, "samples");

interface Row {
  resource: string;
  type: string;
  rule: string;
  engine: string;
  verdict: string;
  message: string;
}

async function evaluate(file: string): Promise<{ code: number; rows: Row[]; notJudged: { resource?: string; type?: string; reason: string }[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["node", "apiguard", "evaluate", "--format", "json", "--project", REPO, path.join(SAMPLES, file)], { out: (t) => out.push(t), err: (t) => err.push(t) });
  const report = JSON.parse(out.join("\n"));
  return { code, rows: report.results, notJudged: report.notJudged, err };
}

/** Both engines' verdicts of one rule on each resource: `resource → "crossguard/azure-policy"`. */
function verdicts(rows: Row[], rule: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows.filter((x) => x.rule === rule)) out[r.resource] = out[r.resource] ? `${out[r.resource]}/${r.verdict}` : r.verdict;
  return out;
}

describe("regula's NSG plans: inline security_rule blocks and standalone rules", () => {
  test.each([["regula.security_group_no_inbound_22_infra.json"], ["regula.security_group_no_inbound_3389_infra.json"]])("%s: every rule its authors call invalid fails, every valid one passes", async (file) => {
    const { code, rows, notJudged } = await evaluate(file);
    expect(code).toBe(1);
    const judged = verdicts(rows, "jump-box-management-ports-closed");
    for (const [resource, verdict] of Object.entries(judged)) {
      const label = /\.(valid|invalid)/.exec(resource)?.[1];
      if (label === "invalid") expect([resource, verdict]).toEqual([resource, "fail/fail"]);
      if (label === "valid") expect([resource, verdict]).toEqual([resource, "pass/pass"]);
    }
    expect(Object.keys(judged).filter((r) => r.includes("valid"))).toHaveLength(8);
    // Its rules are standalone resources: the group's own (inline) rules are known only after apply,
    // and the plan cannot show whether a `dynamic` block writes them.
    expect(judged["azurerm_network_security_group.testnsg"]).toBe("unknown/unknown");
    expect(rows.find((r) => r.resource === "azurerm_network_security_group.testnsg")?.message).toBe(
      "securityRules is not known before deployment: known after apply (Terraform plan); the block is not written in the configuration the plan shows, which leaves out `dynamic` blocks",
    );
    expect(notJudged).toEqual([expect.objectContaining({ resource: "azurerm_resource_group.example", type: "azurerm_resource_group", reason: "no CrossGuard rule or Azure Policy definition judges this type" })]);
  });
});

test("checkov's plan: EKS public_access_cidrs left out of the configuration is the documented 0.0.0.0/0", async () => {
  const { rows } = await evaluate("checkov.plan.tfplan.json");
  // after_unknown marks it, but configuration.root_module's vpc_config does not set it: EKS's default applies.
  expect(verdicts(rows, "eks-public-access-cidrs-restrictive")).toEqual({ "aws_eks_cluster.eks_cluster": "fail" });
  expect(verdicts(rows, "eks-endpoint-private")).toEqual({ "aws_eks_cluster.eks_cluster": "fail" });
});

test("checkov's plan with standalone NSG rules: the groups are unknown, the standalone Deny passes, in both engines", async () => {
  const { rows } = await evaluate("checkov.plan_with_resource_reference.tfplan_extra_ref.json");
  expect(verdicts(rows, "jump-box-management-ports-closed")).toEqual({
    "azurerm_network_security_group.fail": "unknown/unknown",
    "azurerm_network_security_group.pass": "unknown/unknown",
    "azurerm_network_security_rule.pass": "pass/pass",
  });
});

describe("KICS templates wrapped as Blueprint template artifacts are unwrapped and judged", () => {
  test("an AKS cluster without authorized ranges", async () => {
    const { rows } = await evaluate("aks_with_authorized_ip_ranges_disabled.positive6.json");
    expect(verdicts(rows, "aks-authorized-ip-ranges-restrictive")).toEqual({ aksCluster1: "fail/fail" });
  });

  test("an NSG whose child securityRules resource opens 22-23 to any source", async () => {
    const { rows } = await evaluate("network_security_group_with_unrestricted_access_to_ssh.positive6.json");
    expect(verdicts(rows, "jump-box-management-ports-closed")).toEqual({ securitygroup: "pass/pass", "securitygroup/sr": "fail/fail" });
  });
});
