// Child of bench/run.mjs for the interleaved batch comparison behind the goals: loads one predictor, warms it up to
// steady speed, then times batches on request, so that several tools kept alive side by side can be timed in turns
// (a load change on the shared machine then hits them alike).
//
//   node bench/peers/window.mjs <modelc|ort> <file> <rows.csv> <width> <rows> [ortOutputName] [ortModulePath]
//
// Prints "ready {warm-up}" once warm, then reads commands on stdin, one per line:
//   w <ms>   run batches of <rows> rows for at least <ms> ms, print the rate (rows/s)
//   q        exit
// The Python tools (the library, lleaves) speak the same protocol: python/bench/peers.py window.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [kind, file, csv, widthArg, rowsArg, ortOutput, ortModule] = process.argv.slice(2);
const width = Number(widthArg);
const [header, ...lines] = readFileSync(csv, "utf8").trim().split(/\r?\n/);
const F = header.split(",").length;
const base = lines.map((l) => l.split(",").map((v) => (v === "" || v === "nan" ? NaN : Number(v))));
const N = Number(rowsArg);
const rows = new Float64Array(N * F);
for (let i = 0; i < N; i++) rows.set(base[i % base.length], i * F);

let batch;
if (kind === "modelc") {
  const m = await import(pathToFileURL(resolve(file)).href);
  const many = width > 1 ? m.predictProbaBatch : m.predictBatch;
  batch = async () => many(rows, N);
} else if (kind === "ort") {
  const ort = createRequire(resolve(ortModule) + "/")("onnxruntime-node");
  const session = await ort.InferenceSession.create(resolve(file), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  const rows32 = new Float32Array(rows);
  const input = session.inputNames[0];
  batch = async () => (await session.run({ [input]: new ort.Tensor("float32", rows32, [N, F]) }, [ortOutput]))[ortOutput].data;
} else throw new Error(`unknown kind ${kind}`);

async function windowRate(ms) {
  let n = 0;
  const s = performance.now();
  do {
    await batch();
    n += N;
  } while (performance.now() - s < ms);
  return n / ((performance.now() - s) / 1000);
}

// warm-up as in probe.mjs: windows until two agree within 5% or three bring nothing new (at most BENCH_WARMUP_MAX_S)
const WARM_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const maxS = Number(process.env.BENCH_WARMUP_MAX_S ?? 30);
const t0 = performance.now();
const rates = [];
let steady = false;
for (;;) {
  rates.push(await windowRate(WARM_MS));
  const k = rates.length;
  if (k >= 2 && Math.abs(rates[k - 1] - rates[k - 2]) <= 0.05 * Math.max(rates[k - 1], rates[k - 2])) steady = true;
  else if (k >= 4 && Math.max(...rates.slice(-3)) <= 1.05 * Math.max(...rates.slice(0, -3))) steady = true;
  if (steady || performance.now() - t0 > maxS * 1000) break;
}
process.stdout.write(`ready ${JSON.stringify({ rowsPerSec: rates.map(Math.round), steady, seconds: +((performance.now() - t0) / 1000).toFixed(2) })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === "q") break;
  if (cmd === "w") process.stdout.write(`${Math.round(await windowRate(Number(arg)))}\n`);
}
process.exit(0);
