// Child of wasm.mjs: imports one compiled model (a JS module or a .wasm loader) in a fresh process and times it.
//   node bench/wasm-probe.mjs <module.mjs|loader.js> <rows.csv> <nRows to tile to>
// Prints JSON: load time, single-row latency (median and p99 over every row; mean over a loop, wall and CPU), batch
// throughput at 1, 100 and 10 000 rows (median of runs of at least 40 ms, per wall and per CPU second), and the
// predictions (for parity checks by the parent).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [file, csv, tileTo] = process.argv.slice(2);
const [header, ...lines] = readFileSync(csv, "utf8").trim().split(/\r?\n/);
const nCols = header.split(",").length;
const base = lines.map((l) => l.split(",").map((v) => (v === "" || v === "nan" ? NaN : Number(v))));
const nRows = Math.max(base.length, Number(tileTo) || 0);
const rows = new Float64Array(nRows * nCols);
for (let i = 0; i < nRows; i++) rows.set(base[i % base.length], i * nCols);

const t0 = performance.now();
const m = await import(pathToFileURL(resolve(file)).href);
const loadMs = performance.now() - t0;

const predictions = Array.from(m.predictBatch(rows, nRows));
const rowArrays = Array.from({ length: nRows }, (_, i) => Array.from(rows.subarray(i * nCols, (i + 1) * nCols)));

// single row: warm up, then each row once, timed one by one
for (let i = 0; i < Math.min(nRows * 2, 20000); i++) m.predict(rowArrays[i % nRows]);
const lat = [];
for (let i = 0; i < nRows; i++) {
  const s = performance.now();
  m.predict(rowArrays[i]);
  lat.push((performance.now() - s) * 1000);
}
// a second measure for fast models: mean over a long loop (timer resolution is ~1-5 µs)
// process CPU time (user + system) is reported beside wall time: on a loaded machine it is the steadier measure
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let sink = 0;
const loops = Math.max(nRows, 20000);
let s = performance.now();
let c = cpu();
for (let i = 0; i < loops; i++) if (m.predict(rowArrays[i % nRows]) === undefined) sink++;
const meanUs = ((performance.now() - s) * 1000) / loops;
const meanCpuUs = ((cpu() - c) * 1000) / loops;
lat.sort((a, b) => a - b);

const batch = {};
const batchCpu = {};
for (const n of [1, 100, 10000]) {
  const sub = rows.subarray(0, Math.min(n, nRows) * nCols);
  const count = sub.length / nCols;
  for (let k = 0; k < 3; k++) m.predictBatch(sub, count);
  const runs = [];
  const cpuRuns = [];
  for (let r = 0; r < 5; r++) {
    let reps = 0;
    s = performance.now();
    c = cpu();
    do {
      m.predictBatch(sub, count);
      reps++;
    } while (performance.now() - s < 200 / 5);
    runs.push((count * reps) / ((performance.now() - s) / 1000));
    cpuRuns.push((count * reps) / (Math.max(cpu() - c, 0.001) / 1000));
  }
  runs.sort((a, b) => a - b);
  cpuRuns.sort((a, b) => a - b);
  batch[n] = Math.round(runs[2]);
  batchCpu[n] = Math.round(cpuRuns[2]);
}

process.stdout.write(
  JSON.stringify({
    loadMs: +loadMs.toFixed(1),
    singleMedianUs: +lat[Math.floor(lat.length / 2)].toFixed(2),
    singleP99Us: +lat[Math.floor(lat.length * 0.99)].toFixed(2),
    singleMeanUs: +meanUs.toFixed(3),
    singleMeanCpuUs: +meanCpuUs.toFixed(3),
    batchRowsPerSec: batch,
    batchRowsPerCpuSec: batchCpu,
    sink,
    predictions,
  }),
);
