/**
 * `npm run bench`: speed measured as medians over repeated runs, with ratios side by side from the
 * same run on the same machine (absolute times on shared machines are noise). Prints a table and
 * writes bench/results.json (`--smoke`: one run of each, into the untracked bench/results.local.json). Not a test: nothing here fails because a machine is slow.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { benchEvaluate } from "./evaluate";
import { benchEvaluator } from "./evaluator";
import { benchGeneration } from "./generation";
import { benchImpact } from "./impact";
import { benchPack } from "./pack";
import { benchPreview } from "./preview";
import { benchWrite } from "./write";

const REPO = path.resolve(__dirname, "..", "..");
/** `--smoke` (what CI runs): every measurement once, so the bench cannot rot; results go to an untracked file. */
const SMOKE = process.argv.includes("--smoke");
const RUNS = SMOKE ? 1 : Number(process.env.APIGUARD_BENCH_RUNS ?? 5);
const RESULTS = SMOKE ? "results.local.json" : "results.json";

const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}`, node: process.version };
  console.log(`apiguard bench — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${RUNS} runs each\n`);

  const generation = await benchGeneration(REPO, RUNS);
  console.log("Generation (load + validate catalog, render every output)");
  for (const g of generation) console.log(`  ${g.catalog.padEnd(9)} ${String(g.rules).padStart(5)} rules  ${fmt(g.ms.median).padStart(9)} ms  (±${fmt(g.ms.spread * 100, 0)}%)  ${fmt(g.msPerRule, 2)} ms/rule  ${g.files} files`);
  const per10 = generation.find((g) => g.catalog === "synthetic" && g.rules === 10)!.msPerRule;
  const per1000 = generation.find((g) => g.rules === 1000)!;
  console.log(`  linearity: ms/rule at 1,000 rules = ${fmt(per1000.msPerRule / per10, 2)}× ms/rule at 10 rules; 1,000 rules in ${fmt(per1000.ms.median / 1000, 2)} s (target < 2 s)\n`);

  const write = await benchWrite(REPO, RUNS);
  const w = write.ms;
  const ms = (m: typeof w.plain) => `${fmt(m.median, 0).padStart(6)} ms (±${fmt(m.spread * 100, 0)}%)`;
  console.log(`Writing the ${write.files} outputs (median)`);
  console.log(`  plain writes, no flush (the floor)            ${ms(w.plain)}`);
  console.log(`  plain writes, each flushed                    ${ms(w.plainFlushed)}`);
  console.log(`  all or nothing, every file new (a first init) ${ms(w.journaledAllNew)}  ${fmt(w.journaledAllNew.median / w.plainFlushed.median, 2)}× the flushed plain writes`);
  console.log(`  all or nothing, one rule retitled (${write.changedByOneRule} files)    ${ms(w.journaledOneRule)}`);
  console.log(`  all or nothing, nothing changed               ${ms(w.journaledUnchanged)}\n`);

  const evaluator = await benchEvaluator(REPO, RUNS);
  const rate = evaluator.inProcess.resourcesPerSecond;
  console.log("Azure Policy evaluator");
  console.log(`  in-process: ${fmt(rate.median, 0)} clusters/s against all ${evaluator.inProcess.definitions} definitions (±${fmt(rate.spread * 100, 0)}%)`);
  console.log(`  CLI, ${evaluator.cli.resources}-resource ARM template (the most one may declare) end to end: ${fmt(evaluator.cli.ms.median, 0)} ms (±${fmt(evaluator.cli.ms.spread * 100, 0)}%)\n`);

  const impact = await benchImpact(REPO, SMOKE ? 1 : Math.min(RUNS, 3), SMOKE);
  console.log(`apiguard impact, Resource Graph pages of ${impact.rowsPerPage.toLocaleString("en-US")} real AKS rows, process start to exit (median)`);
  for (const r of impact.runs) {
    console.log(
      `  --engine ${r.engine.padEnd(13)} --jobs ${r.jobs} ${String(r.pages).padStart(3)} pages ${r.clusters.toLocaleString("en-US").padStart(8)} clusters  ${fmt(r.ms.median, 0).padStart(7)} ms (±${fmt(r.ms.spread * 100, 0)}%)  ${fmt(r.clustersPerSecond, 0).padStart(7)} clusters/s  peak RSS ${fmt(r.peakRssMiB, 0)} MiB`,
    );
  }
  console.log(
    `  in-process Azure Policy evaluator on the same rows: ${fmt(impact.inProcess.clustersPerSecond.median, 0)} clusters/s against ${impact.inProcess.definitions} definitions (±${fmt(impact.inProcess.clustersPerSecond.spread * 100, 0)}%)`,
  );
  console.log(`  end to end / in-process = ${fmt(impact.ratio, 2)}× (goal ≥ 0.5×); with --jobs 1: ${fmt(impact.ratioOneThread, 2)}×\n`);

  const evaluate = await benchEvaluate(REPO, RUNS);
  console.log("apiguard evaluate, process start to exit (median), beside the floor `node -e ''` in the same run");
  console.log(`  ${"node -e ''".padEnd(36)} ${fmt(evaluate.floor.median, 0).padStart(7)} ms (±${fmt(evaluate.floor.spread * 100, 0)}%)`);
  for (const t of evaluate.timings) {
    const goal = t.resources === 1 ? ` (goal ≤ ${t.engine === "both" ? 5 : 3}×)` : "";
    console.log(`  ${t.label.padEnd(36)} ${fmt(t.ms.median, 0).padStart(7)} ms (±${fmt(t.ms.spread * 100, 0)}%)  ${fmt(t.ratio, 2)}× the floor${goal}`);
  }
  console.log("");

  const pack = await benchPack(REPO, RUNS);
  const [generated, bare, conventional] = pack.start;
  console.log("Policy pack start-up: spawn → GetAnalyzerInfo answered over gRPC (median, peak RSS)");
  for (const p of pack.start) console.log(`  ${p.pack.padEnd(26)} ${fmt(p.startMs.median, 0).padStart(7)} ms (±${fmt(p.startMs.spread * 100, 0)}%)  ${fmt(p.peakRssMiB.median, 0).padStart(5)} MiB`);
  console.log(`  generated / bare = ${fmt(generated.startMs.median / bare.startMs.median, 2)}× (target ≤ 1.1×); generated / conventional = ${fmt(generated.startMs.median / conventional.startMs.median, 2)}× (target ≤ 0.5×)`);
  const t = pack.throughput.resourcesPerSecond;
  console.log(`  Analyze throughput, generated pack: ${fmt(t.median, 0)} resources/s over ${pack.throughput.resources.toLocaleString("en-US")} mixed resources, 16 in flight (±${fmt(t.spread * 100, 0)}%; target ≥ 5,000/s)`);
  console.log(`  the same stream through the bare one-policy pack: ${fmt(pack.throughputFloor.resourcesPerSecond.median, 0)} resources/s (the runtime's own cost)\n`);

  const preview = await benchPreview(REPO, RUNS);
  const m = preview.ms;
  console.log(`Real \`pulumi preview\` of a ${preview.resources}-resource TypeScript program (cloud stand-ins), median`);
  console.log(
    `  no pack ${fmt(m.noPack.median, 0)} ms (±${fmt(m.noPack.spread * 100, 0)}%); bare one-policy pack ${fmt(m.barePack.median, 0)} ms (±${fmt(m.barePack.spread * 100, 0)}%); apiguard ${fmt(m.apiguard.median, 0)} ms (±${fmt(m.apiguard.spread * 100, 0)}%)`,
  );
  console.log(`  apiguard's overhead / the bare pack's = ${fmt(preview.overheadRatio, 2)}× (target ≤ 1.1×)\n`);

  const results = { date: new Date().toISOString(), machine, runs: RUNS, generation, write, evaluator, impact, evaluate, pack, preview };
  fs.writeFileSync(path.join(REPO, "bench", RESULTS), JSON.stringify(results, null, 2) + "\n");
  console.log(`wrote bench/${RESULTS}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
