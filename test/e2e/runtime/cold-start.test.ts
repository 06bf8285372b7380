/** The pack loads without provider SDKs and without TypeScript: what it ships is plain JavaScript. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../../helpers/paths";

const PACK = path.join(REPO, "policypack");

function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const run = spawnSync(process.execPath, ["-e", script], { cwd: PACK, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

test("the pack's policies load no provider SDK, no ts-node and no TypeScript", () => {
  const loaded = modulesLoadedBy(path.join(PACK, "bin", "policies.js"));
  // It did load the pack itself (policies, runtime, semantics, the ring and exemption module, targets)...
  expect(
    loaded
      .map((m) => path.relative(PACK, m))
      .filter((m) => m.startsWith("bin"))
      .sort(),
  ).toEqual(["bin/policies.js", "bin/rollout.js", "bin/runtime.js", "bin/semantics.js", "bin/targets.js"]);
  const heavy = loaded.filter((m) => /node_modules[\\/](@pulumi[\\/](azure-native|azure|aws|aws-native)|ts-node|typescript)[\\/]/.test(m));
  expect(heavy).toEqual([]);
});

test("the pack's entry point is compiled JavaScript, and PulumiPolicy.yaml turns TypeScript off", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8"));
  expect(manifest.main).toBe("bin/index.js");
  expect(fs.readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8")).toMatch(/typescript: false/);
});
