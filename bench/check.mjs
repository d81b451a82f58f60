// Checks a results file of bench/run.mjs for what CI needs to hold: the harness ran every model and every
// tool, and modelc is correct. It does not look at speed.
//
//   node bench/check.mjs [bench/out/results-quick.json] [--models a,b,c]
//
// Holds when:
//   - every expected model is there (--models; default: the --quick set) with its library, the three modelc
//     targets (ifelse, table, wasm), m2cgen, onnxruntime and treelite, and lleaves for LightGBM models (the
//     --quick set has none: the run records a note instead);
//   - the library (the reference) produced timings;
//   - every modelc target produced timings and matches the library: bit for bit on every row for tree models
//     (rows differing = 0), within the parity rule for linear models (|diff| <= 1e-12, BLAS-backed);
//   - every peer either produced numbers (latency, batch throughput, a correctness count) or recorded why not
//     (an error message, or "skipped ...").
// Prints one line per problem and exits 1 if there is any; otherwise a one-line summary, exit 0.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const QUICK_MODELS = ["iris-xgb", "cancer-xgb", "cancer-logreg"];
const MODELC = ["modelc-ifelse", "modelc-table", "modelc-wasm"];
const PEERS = ["m2cgen", "onnxruntime", "treelite"];
const LINEAR_MAX_DIFF = 1e-12;

const isPos = (x) => typeof x === "number" && Number.isFinite(x) && x > 0;

/** Timings present: single-row median, batch throughput at 100 rows and at the tile size. */
function timingProblems(t, tile) {
  const missing = [];
  if (!isPos(t.singleMedianUs)) missing.push("singleMedianUs");
  if (!isPos(t.batchRowsPerSec?.["100"])) missing.push("batchRowsPerSec[100]");
  if (!isPos(t.batchRowsPerSec?.[String(tile)])) missing.push(`batchRowsPerSec[${tile}]`);
  return missing;
}

/** The problems with one results report (an empty list when it holds). */
export function checkResults(report, models = QUICK_MODELS) {
  const problems = [];
  if (!report || !Array.isArray(report.results)) return ["no results array"];
  const tile = report.tile ?? 10000;
  for (const name of models) {
    const e = report.results.find((x) => x.model === name);
    if (!e) {
      problems.push(`${name}: missing`);
      continue;
    }
    const tool = (id) => e.tools.find((t) => t.tool === id);
    const lib = tool("library");
    if (!lib) problems.push(`${name}: no library row`);
    else if (lib.error) problems.push(`${name}: library failed: ${lib.error}`);
    else if (timingProblems(lib, tile).length) problems.push(`${name}: library has no ${timingProblems(lib, tile).join(", ")}`);
    for (const id of MODELC) {
      const t = tool(id);
      if (!t) {
        problems.push(`${name}: ${id} missing`);
        continue;
      }
      if (t.error || t.correctnessError) {
        problems.push(`${name}: ${id} failed: ${t.error ?? t.correctnessError}`);
        continue;
      }
      const tp = timingProblems(t, tile);
      if (tp.length) problems.push(`${name}: ${id} has no ${tp.join(", ")}`);
      if (!(Number.isInteger(t.rowsCompared) && t.rowsCompared > 0 && t.rowsCompared === e.rows))
        problems.push(`${name}: ${id} compared ${t.rowsCompared} rows, the model has ${e.rows}`);
      if (e.linear) {
        if (!(t.maxAbsDiff <= LINEAR_MAX_DIFF))
          problems.push(`${name}: ${id} differs from the library by ${t.maxAbsDiff} (> ${LINEAR_MAX_DIFF}, linear parity rule)`);
      } else if (t.rowsDiffering !== 0 || t.maxUlps !== 0) {
        problems.push(`${name}: ${id} differs from the library on ${t.rowsDiffering} rows (max |diff| ${t.maxAbsDiff}); tree models must be bit for bit`);
      }
    }
    for (const id of [...PEERS, ...(String(e.library ?? "").startsWith("lightgbm") ? ["lleaves"] : [])]) {
      const t = tool(id);
      if (!t) {
        problems.push(`${name}: ${id} missing (neither numbers nor a failure recorded)`);
        continue;
      }
      if (t.error !== undefined) {
        if (typeof t.error !== "string" || !t.error.trim()) problems.push(`${name}: ${id} failed without a message`);
        continue;
      }
      const tp = timingProblems(t, tile);
      if (tp.length) problems.push(`${name}: ${id} has neither an error nor ${tp.join(", ")}`);
      if (!Number.isInteger(t.rowsDiffering)) problems.push(`${name}: ${id} has no correctness count`);
    }
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const mi = args.indexOf("--models");
  const models = mi >= 0 ? args[mi + 1].split(",").filter(Boolean) : QUICK_MODELS;
  const file = resolve(args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--models") ?? "bench/out/results-quick.json");
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`bench check: cannot read ${file}: ${e.message}`);
    process.exit(1);
  }
  const problems = checkResults(report, models);
  for (const p of problems) console.error(`bench check: ${p}`);
  const failures = report.results.flatMap((e) => e.tools.filter((t) => t.error).map((t) => `${e.model}/${t.tool}: ${t.error.slice(0, 100)}`));
  for (const f of failures) console.log(`  recorded failure ${f}`);
  console.log(`bench check: ${file}: ${models.length} models, ${problems.length} problems (${report.seconds} s run)`);
  process.exit(problems.length ? 1 : 0);
}
