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
// Prints JSON: loadMs, single-row latency (median, p99 over every row, warm), batch rows/s at 100 and tileTo rows
// (median of 5 runs of >= 40 ms), and the outputs on the CSV's own rows (flattened, width per row).
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

// outputs on the CSV's rows
const outputs = [];
for (let i = 0; i < nBase; i++) {
  let y = single(i);
  if (isAsync) y = await y;
  if (typeof y === "number") outputs.push(y);
  else for (const v of y) outputs.push(Number(v));
}

// single-row latency: warm up, then every row once (at most 10 000), timed one by one
const nSingle = Math.min(N, 10000);
for (let i = 0; i < Math.min(2000, nSingle); i++) (isAsync ? await single(i) : single(i));
const lat = [];
for (let i = 0; i < nSingle; i++) {
  const s = performance.now();
  if (isAsync) await single(i);
  else single(i);
  lat.push((performance.now() - s) * 1000);
}
// timer resolution is coarse for sub-µs calls: also the mean over a long loop
let s = performance.now();
let loops = 0;
do {
  for (let i = 0; i < 1000; i++) (isAsync ? await single((loops + i) % N) : single((loops + i) % N));
  loops += 1000;
} while (performance.now() - s < 200);
const singleMeanUs = ((performance.now() - s) * 1000) / loops;
lat.sort((a, b) => a - b);

const batchRowsPerSec = {};
for (const n of [100, N]) {
  for (let k = 0; k < 2; k++) (isAsync ? await batch(n) : batch(n));
  const runs = [];
  for (let r = 0; r < 5; r++) {
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
  batchRowsPerSec[n] = Math.round(runs[2]);
}

process.stdout.write(
  JSON.stringify({
    loadMs: +loadMs.toFixed(2),
    singleMedianUs: +lat[Math.floor(lat.length / 2)].toFixed(3),
    singleP99Us: +lat[Math.floor(lat.length * 0.99)].toFixed(3),
    singleMeanUs: +singleMeanUs.toFixed(3),
    batchRowsPerSec,
    outputs,
  }),
);
