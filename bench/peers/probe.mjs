// Child of bench/run.mjs: loads one predictor in a fresh Node process and times it on the rows of a CSV file.
//
//   node bench/peers/probe.mjs <kind> <file> <rows.csv> <width> <tileTo> [ortOutputName] [ortModulePath]
//
// kind: modelc  - a module written by `modelc compile` (.mjs, or the .js loader of a .wasm):
//                 predictProba/predictProbaBatch for classifiers (width > 1), predict/predictBatch for regressors
//       m2cgen  - m2cgen's JavaScript (`function score(input)`, exported by python/bench/peers.py);
//                 a binary classifier that returns one score (linear models) gets the logistic function
//                 1 / (1 + exp(-s)) applied, as scikit-learn's predict_proba does; no batch API, so batch = a loop
//       ort     - an .onnx file run by onnxruntime-node (1 intra-op and 1 inter-op thread, sequential),
//                 float32 input tensor [n, features]; single row = one awaited session.run
// Prints JSON: loadMs, single-row latency (median, p99 over every row up to 10 000 or 3 s, warm), batch rows/s at 100
// and tileTo rows (median of 5 runs of >= 40 ms; 1 run when one batch takes > 1 s), each after a warm-up to steady
// state (below: singleWarmup, batchWarmup), and the outputs on the CSV's own
// rows (batch API, flattened, width per row), and singleVsBatch when the single-row API gave another value on a row it timed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [kind, file, csv, widthArg, tileArg, ortOutput, ortModule] = process.argv.slice(2);
const width = Number(widthArg);
const [header, ...lines] = readFileSync(csv, "utf8").trim().split(/\r?\n/);
const F = header.split(",").length;
const base = lines.map((l) => l.split(",").map((v) => (v === "" || v === "nan" ? NaN : Number(v))));
const nBase = base.length;
const N = Math.max(nBase, Number(tileArg) || 0);
const rows = new Float64Array(N * F);
for (let i = 0; i < N; i++) rows.set(base[i % nBase], i * F);
const rows32 = new Float32Array(rows);
const rowArrays = Array.from({ length: N }, (_, i) => Array.from(rows.subarray(i * F, (i + 1) * F)));

let single; // (i) => output of row i (number | array-like), sync or async
let batch; // (n) => outputs of rows 0..n-1 (flattened)
let isAsync = false;
const t0 = performance.now();
if (kind === "modelc") {
  const m = await import(pathToFileURL(resolve(file)).href);
  const one = width > 1 ? m.predictProba : m.predict;
  const many = width > 1 ? m.predictProbaBatch : m.predictBatch;
  single = (i) => one(rowArrays[i]);
  batch = (n) => many(rows.subarray(0, n * F), n);
} else if (kind === "m2cgen") {
  const m = await import(pathToFileURL(resolve(file)).href);
  const score = m.score;
  const post =
    width === 2
      ? (s) => {
          if (typeof s !== "number") return s;
          const p = 1 / (1 + Math.exp(-s));
          return [1 - p, p];
        }
      : (s) => s;
  single = (i) => post(score(rowArrays[i]));
  batch = (n) => {
    const out = new Float64Array(n * width);
    for (let i = 0; i < n; i++) {
      const y = post(score(rows.subarray(i * F, (i + 1) * F)));
      if (typeof y === "number") out[i] = y;
      else out.set(y, i * width);
    }
    return out;
  };
} else if (kind === "ort") {
  const require = createRequire(resolve(ortModule) + "/");
  const ort = require("onnxruntime-node");
  const session = await ort.InferenceSession.create(resolve(file), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  const input = session.inputNames[0];
  isAsync = true;
  const run = async (start, n) => {
    const t = new ort.Tensor("float32", rows32.subarray(start * F, (start + n) * F), [n, F]);
    const r = await session.run({ [input]: t }, [ortOutput]);
    return r[ortOutput].data;
  };
  single = (i) => run(i, 1);
  batch = (n) => run(0, n);
} else throw new Error(`unknown kind ${kind}`);
const loadMs = performance.now() - t0;

// Time budgets keep a slow predictor (an 18 MB if-else module runs ~2 ms per row) from taking minutes:
// the counts actually used are reported with the figures.
const SINGLE_BUDGET_MS = 3000;
const BATCH_ONE_RUN_MS = 1000; // a batch slower than this is timed once (after the warm-up below)

// outputs on the CSV's rows, through the batch API (one call)
const flat = (y) => (typeof y === "number" ? [y] : Array.from(y, Number));
const outputs = flat(isAsync ? await batch(nBase) : batch(nBase));
if (outputs.length !== nBase * width) throw new Error(`batch output has ${outputs.length} values for ${nBase} rows of width ${width}`);

// Warm-up to steady state. A large generated module (e.g. LightGBM 500 trees: 42 functions of ~800 conditions) is
// optimized by V8 function by function on a background thread, ~1 s of compile each on a loaded machine, and runs
// meanwhile in the baseline tiers (boxed doubles, garbage collection): it can take tens of seconds to reach its
// speed. So the code path is first run in windows of BENCH_WARMUP_MS (default 1000) until it is steady: two windows
// in a row within 5% of each other, or three windows in a row no more than 5% above the best window before them;
// at most BENCH_WARMUP_MAX_S (default 30; single rows BENCH_SINGLE_WARMUP_MAX_S, default 10). Reported: the rate per window, whether it settled, and the seconds
// from import to the end of the warm-up (time to steady speed).
const WARM_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const WARM_MAX_S = Number(process.env.BENCH_WARMUP_MAX_S ?? 30);
const SINGLE_WARM_MAX_S = Number(process.env.BENCH_SINGLE_WARMUP_MAX_S ?? 10);
async function warmup(step, maxS) {
  const rates = [];
  const w0 = performance.now();
  let steady = false;
  for (;;) {
    let n = 0;
    const ws = performance.now();
    do n += await step(n);
    while (performance.now() - ws < WARM_MS);
    rates.push(n / ((performance.now() - ws) / 1000));
    const k = rates.length;
    const a = rates[k - 1];
    const b = rates[k - 2];
    if (k >= 2 && Math.abs(a - b) <= 0.05 * Math.max(a, b)) steady = true;
    else if (k >= 4 && Math.max(...rates.slice(-3)) <= 1.05 * Math.max(...rates.slice(0, -3))) steady = true;
    if (steady || performance.now() - w0 > maxS * 1000) break;
  }
  return { rowsPerSec: rates.map(Math.round), steady, doneAfterS: +((performance.now() - t0) / 1000).toFixed(2) };
}
const singleWarmup = await warmup(async (n) => {
  for (let i = 0; i < 100; i++) isAsync ? await single((n + i) % N) : single((n + i) % N);
  return 100;
}, SINGLE_WARM_MAX_S);

// single-row latency: warm up, then every row once (at most 10 000, at most SINGLE_BUDGET_MS), timed one
// by one; each result is checked against the batch output for the same row (outside the timed span)
const nSingle = Math.min(N, 10000);
let s = performance.now();
for (let i = 0; i < Math.min(2000, nSingle) && performance.now() - s < SINGLE_BUDGET_MS / 3; i++) isAsync ? await single(i) : single(i);
const lat = [];
let mismatch;
s = performance.now();
for (let i = 0; i < nSingle && (lat.length < 100 || performance.now() - s < SINGLE_BUDGET_MS); i++) {
  const t = performance.now();
  let y = single(i);
  if (isAsync) y = await y;
  lat.push((performance.now() - t) * 1000);
  if (mismatch === undefined && i < nBase) {
    const v = flat(y);
    const o = i * width;
    if (v.length !== width || v.some((x, k) => !Object.is(x, outputs[o + k])))
      mismatch = `row ${i}: single-row output [${v}] differs from the batch output [${outputs.slice(o, o + width)}]`;
  }
}
// timer resolution is coarse for sub-µs calls: also the mean over a long loop (>= 200 ms, >= 100 calls)
s = performance.now();
let loops = 0;
do {
  for (let i = 0; i < 100; i++) isAsync ? await single((loops + i) % N) : single((loops + i) % N);
  loops += 100;
} while (performance.now() - s < 200);
const singleMeanUs = ((performance.now() - s) * 1000) / loops;
const singleCount = lat.length;
lat.sort((a, b) => a - b);

const batchWarmup = await warmup(async () => {
  isAsync ? await batch(N) : batch(N);
  return N;
}, WARM_MAX_S);

const batchRowsPerSec = {};
const batchRuns = {};
for (const n of [100, N]) {
  const w = performance.now();
  isAsync ? await batch(n) : batch(n);
  const slow = performance.now() - w > BATCH_ONE_RUN_MS;
  if (!slow) isAsync ? await batch(n) : batch(n);
  const runs = [];
  for (let r = 0; r < (slow ? 1 : 5); r++) {
    let reps = 0;
    s = performance.now();
    do {
      if (isAsync) await batch(n);
      else batch(n);
      reps++;
    } while (performance.now() - s < 40);
    runs.push((n * reps) / ((performance.now() - s) / 1000));
  }
  runs.sort((a, b) => a - b);
  batchRowsPerSec[n] = Math.round(runs[runs.length >> 1]);
  batchRuns[n] = runs.length;
}

process.stdout.write(
  JSON.stringify({
    loadMs: +loadMs.toFixed(2),
    singleMedianUs: +lat[Math.floor(lat.length / 2)].toFixed(3),
    singleP99Us: +lat[Math.floor(lat.length * 0.99)].toFixed(3),
    singleMeanUs: +singleMeanUs.toFixed(3),
    singleCount,
    ...(mismatch ? { singleVsBatch: mismatch } : {}),
    batchRowsPerSec,
    batchRuns,
    singleWarmup,
    batchWarmup,
    outputs,
  }),
);
