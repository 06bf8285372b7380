/** Evaluator throughput: generated AKS clusters against the whole initiative, in-process and through the CLI. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { judgeWithAzure, loadDefinitions } from "../cli/evaluate/engines/azure-policy";
import type { ArmResource } from "../core/resources/convert";
import { summarize, type Measurement } from "./stats";

/** The most resources one ARM template may declare ("Template limits", https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits). */
export const TEMPLATE_MAX = 800;

/** A deterministic mix of compliant and non-compliant clusters (no Math.random: runs compare). */
export function clusters(count: number): ArmResource[] {
  const ranges = [[], ["0.0.0.0/0"], ["73.140.245.0/24"], ["10.0.0.0/8", "52.174.10.17/32"], ["0.0.0.0/32"]];
  const zones = ["system", "None", "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io"];
  return Array.from({ length: count }, (_, i) => ({
    type: "Microsoft.ContainerService/managedClusters",
    name: `aks-${i}`,
    location: "westeurope",
    properties:
      i % 7 === 0
        ? {}
        : {
            apiServerAccessProfile: {
              enablePrivateCluster: i % 2 === 0,
              enablePrivateClusterPublicFQDN: i % 3 === 0 ? undefined : i % 3 === 1,
              authorizedIPRanges: ranges[i % ranges.length],
              privateDNSZone: zones[i % zones.length],
              disableRunCommand: i % 5 === 0,
            },
          },
  }));
}

export interface EvaluatorResult {
  inProcess: { resources: number; definitions: number; resourcesPerSecond: Measurement };
  cli: { resources: number; ms: Measurement };
}

export async function benchEvaluator(repo: string, runs: number): Promise<EvaluatorResult> {
  const definitions = loadDefinitions(path.join(repo, "azure-policy"));
  const resources = clusters(100_000);
  const rates: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const start = performance.now();
    let failures = 0;
    for (const r of resources) for (const d of definitions) if (judgeWithAzure(d, r).verdict === "fail") failures++;
    const seconds = (performance.now() - start) / 1000;
    if (failures === 0) throw new Error("benchmark input judged compliant everywhere: it measures nothing");
    if (run > 0) rates.push(resources.length / seconds); // run 0 warms up the JIT
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiguard-bench-eval-"));
  const template = path.join(dir, "template.json");
  fs.writeFileSync(template, JSON.stringify({ $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", contentVersion: "1.0.0.0", resources: clusters(TEMPLATE_MAX) }));
  const samples: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      const cli = spawnSync(process.execPath, [path.join(repo, "bin/apiguard.js"), "evaluate", "--engine", "azure-policy", "--format", "json", "--project", repo, template], { encoding: "utf8", maxBuffer: 1 << 30 });
      samples.push(performance.now() - start);
      if (cli.status !== 1) throw new Error(`evaluate exited ${cli.status}: ${cli.stderr}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    inProcess: { resources: resources.length, definitions: definitions.length, resourcesPerSecond: summarize(rates) },
    cli: { resources: TEMPLATE_MAX, ms: summarize(samples) },
  };
}
