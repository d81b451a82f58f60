// A/B of wasm batch builds of one model in ONE process, interleaved round by round (machine load hits all alike),
// timed by the process's CPU time (bench/RESULTS-wasm-linear.md). Checks first that every build gives the first
// one's outputs (by value; NaN payload bits may differ) on the tiled rows and on rows of hard values at small sizes.
//
//   node bench/wasm-linear-ab.mjs <rows.csv> <loader.js> <loader.js> .. [--fn predictProbaBatch] [--rows 10000]
//        [--rounds 8] [--ms 400]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const [csv, ...files] = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
if (!csv || files.length === 0) {
  console.error("usage: node bench/wasm-linear-ab.mjs <rows.csv> <loader.js>... [--fn F] [--rows N] [--rounds R] [--ms T]");
  process.exit(2);
}
const N = Number(opt("--rows", 10000));
const rounds = Number(opt("--rounds", 8));
const ms = Number(opt("--ms", 400));
const fn = opt("--fn", "predictProbaBatch");
const [header, ...lines] = readFileSync(csv, "utf8").trim().split(/\r?\n/);
const F = header.split(",").length;
const base = lines.map((l) => l.split(",").map((v) => (v === "" || v === "nan" ? NaN : Number(v))));
const rows = new Float64Array(N * F);
for (let i = 0; i < N; i++) rows.set(base[i % base.length], i * F);
// rows of hard values for the agreement check
const hard = [NaN, Infinity, -Infinity, -0, 0, 1e308, -1e308, 5e-324, 1e-300, 3.5];
const M = 37;
const xs = new Float64Array(M * F);
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
for (let i = 0; i < xs.length; i++) xs[i] = rnd() < 0.2 ? hard[Math.floor(rnd() * hard.length)] : (rnd() - 0.5) * 100;
const mods = [];
for (const f of files) mods.push([f, await import(pathToFileURL(resolve(f)).href)]);
const ref = mods[0][1];
const sizes = [[rows, N], [xs, M], ...[0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17].map((k) => [xs.subarray(0, k * F), k])];
for (const [name, m] of mods) {
  for (const f of ["predictRawBatch", "predictBatch", "predictProbaBatch"].filter((g) => typeof ref[g] === "function")) {
    for (const [X, k] of sizes) {
      const a = ref[f](X, k);
      const b = m[f](X, k);
      if (a.length !== b.length || a.some((v, i) => !Object.is(v, b[i]))) console.log(`MISMATCH ${name} ${f} batch of ${k}`);
    }
  }
}
const tot = new Map(files.map((n) => [n, [0, 0]]));
let sink = 0;
for (let r = 0; r < rounds; r++) {
  for (const [name, m] of r % 2 ? [...mods].reverse() : mods) {
    const run = m[fn];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let k = 0;
    while (performance.now() - t0 < ms) {
      sink += run(rows, N)[0];
      k++;
    }
    const c = process.cpuUsage(c0);
    // round 0 is warm-up
    if (r > 0) {
      const t = tot.get(name);
      t[0] += k * N;
      t[1] += (c.user + c.system) / 1e6;
    }
  }
}
const [r0, c0] = tot.get(files[0]);
for (const [name, [done, cpu]] of tot) {
  console.log(`${fn} ${name}: ${(done / cpu / 1e6).toFixed(3)} M rows per CPU-second, x${(done / cpu / (r0 / c0)).toFixed(3)}`);
}
if (Number.isNaN(sink)) console.log("(sink NaN)");
