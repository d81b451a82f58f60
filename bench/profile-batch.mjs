// Where a generated module's batch time goes: V8's CPU profiler (the one `node --cpu-prof` writes) around a loop of
// predictBatch / predictProbaBatch calls on a benchmark model's rows, top functions by self time.
//
//   node bench/profile-batch.mjs <module.mjs | loader.js> <rows.csv> [--width K] [--rows 10000] [--seconds 4]
//        [--warmup 1.5] [--visits V] [--out file.cpuprofile]
//
// The rows are the CSV's (empty = NaN) tiled to --rows, passed as one row-major Float64Array, as bench/run.mjs does.
// Prints the share of self time per function (with its line in the module) and the batch throughput while profiled
// (sampling costs a few per cent), by wall clock and by the process's CPU time (what a loaded machine inflates less;
// with --visits, the split nodes visited per row from bench/run.mjs's results, also ns per visited node).
// --out also writes the profile for Chrome DevTools.
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const [file, csv] = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
if (!file || !csv) {
  console.error("usage: node bench/profile-batch.mjs <module> <rows.csv> [--width K] [--rows N] [--seconds S] [--out F]");
  process.exit(2);
}
const width = Number(opt("--width", 1));
const N = Number(opt("--rows", 10000));
const seconds = Number(opt("--seconds", 4));
const [header, ...lines] = readFileSync(csv, "utf8").trim().split(/\r?\n/);
const F = header.split(",").length;
const base = lines.map((l) => l.split(",").map((v) => (v === "" || v === "nan" ? NaN : Number(v))));
const rows = new Float64Array(N * F);
for (let i = 0; i < N; i++) rows.set(base[i % base.length], i * F);

const m = await import(pathToFileURL(resolve(file)).href);
const batch = width > 1 ? m.predictProbaBatch : m.predictBatch;
let sink = 0;
const run = () => {
  const y = batch(rows, N);
  sink += y[0];
};
const w = performance.now();
while (performance.now() - w < Number(opt("--warmup", 1.5)) * 1000) run(); // warm-up: optimized code before profiling

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
let reps = 0;
const cpu0 = process.cpuUsage();
const s = performance.now();
while (performance.now() - s < seconds * 1000) {
  run();
  reps++;
}
const elapsed = performance.now() - s;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const { profile } = await session.post("Profiler.stop");
session.disconnect();
if (opt("--out")) writeFileSync(opt("--out"), JSON.stringify(profile));

// self time per node = its samples; grouped by function name + location
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const fns = new Map();
let total = 0;
for (const [id, k] of hits) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const key = `${cf.functionName || "(anonymous)"} ${cf.url ? `${basename(cf.url)}:${cf.lineNumber + 1}` : ""}`.trim();
  fns.set(key, (fns.get(key) ?? 0) + k);
  total += k;
}
const top = [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(opt("--top", 15)));
const visits = Number(opt("--visits", 0));
const perCpuS = (reps * N) / (cpuMs / 1000);
console.log(
  `${basename(file)}: ${reps} batches of ${N} rows in ${(elapsed / 1000).toFixed(1)} s = ${Math.round((reps * N) / (elapsed / 1000)).toLocaleString("en-US")} rows/s wall, ${Math.round(perCpuS).toLocaleString("en-US")} rows per CPU-second${visits ? ` (${(1e9 / perCpuS / visits).toFixed(2)} ns per visited node)` : ""} while profiled; ${total} samples (sink ${Number.isNaN(sink) ? "NaN" : "ok"})`,
);
for (const [k, v] of top) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
