// A/B benchmark of batch evaluation: the same model compiled by two modelc checkouts (e.g. main and a branch), JS and
// WASM, table style, timed in ONE process with the builds interleaved round by round (so machine load hits both
// alike). Reports batch rows/s at 100 and 10 000 rows, single-row latency, and new/old ratios; checks that both
// builds give the same predictions bit for bit.
//
//   node bench/batch-ab.mjs --old <other checkout, built> [--dir .cache/big] [--rounds 5] [--targets js,wasm] [--style table]
//
// --dir .cache/big-lgb takes the LightGBM model.txt. Timings are noisy on shared machines: compare the ratios.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const root = resolve(import.meta.dirname, "..");
const oldArg = opt("--old", undefined);
if (!oldArg) {
  console.error(
    "usage: node bench/batch-ab.mjs --old <path of another modelc checkout, built> [--dir .cache/big] [--rounds 5]\n" +
      "  e.g. git worktree add /tmp/modelc-old <commit> && (cd /tmp/modelc-old && npm ci && node scripts/build.mjs)",
  );
  process.exit(2);
}
const oldRoot = resolve(oldArg);
const dir = resolve(opt("--dir", ".cache/big"));
const rounds = Number(opt("--rounds", "5"));
const targets = opt("--targets", "js,wasm").split(",");
const style = opt("--style", "table");
const out = join(root, "bench", "out", "batch-ab");
mkdirSync(out, { recursive: true });

const model = existsSync(join(dir, "model.json")) ? join(dir, "model.json") : join(dir, "model.txt");
const builds = [];
for (const [tag, r] of [
  ["old", oldRoot],
  ["new", root],
]) {
  spawnSync(process.execPath, [join(r, "scripts", "build.mjs")], { cwd: r, stdio: "inherit" });
  for (const t of targets) {
    const file = join(out, `${tag}.${t === "js" ? "mjs" : "wasm"}`);
    const c = spawnSync(process.execPath, [join(r, "bin", "modelc.js"), "compile", model, "-o", file, "--style", style], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    if (c.status !== 0) throw new Error(`${tag} ${t}: ${c.stderr}`);
    const load = t === "js" ? file : file.replace(/\.wasm$/, ".js");
    builds.push({ tag, target: t, mod: await import(pathToFileURL(load).href) });
  }
}

const [header, ...lines] = readFileSync(join(dir, "rows.csv"), "utf8").trim().split(/\r?\n/);
const nCols = header.split(",").length;
const base = lines.map((l) => l.split(",").map((v) => (v === "" || v === "nan" ? NaN : Number(v))));
const N = 10000;
const rows = new Float64Array(N * nCols);
for (let i = 0; i < N; i++) rows.set(base[i % base.length], i * nCols);
const rowArrays = Array.from({ length: 2000 }, (_, i) => Array.from(rows.subarray(i * nCols, (i + 1) * nCols)));

// parity: old = new on every row, per target
for (const t of targets) {
  const [a, b] = ["old", "new"].map((tag) => builds.find((x) => x.tag === tag && x.target === t).mod.predictBatch(rows, N));
  const same = a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  console.log(`${t}: old and new predictBatch equal on ${N} rows: ${same}`);
  if (!same) process.exitCode = 1;
}

/** rows/s of predictBatch on n rows: repeated for at least 150 ms. */
function batchRate(m, n) {
  const sub = rows.subarray(0, n * nCols);
  let reps = 0;
  const s = performance.now();
  let el = 0;
  do {
    m.predictBatch(sub, n);
    reps++;
    el = performance.now() - s;
  } while (el < 150);
  return (reps * n) / (el / 1000);
}
/** mean µs of predict on one row (a loop over 2000 different rows). */
function single(m) {
  const s = performance.now();
  let reps = 0;
  let el = 0;
  do {
    for (const r of rowArrays) m.predict(r);
    reps += rowArrays.length;
    el = performance.now() - s;
  } while (el < 150);
  return (el * 1000) / reps;
}

const res = new Map(builds.map((b) => [b, { 100: [], 10000: [], single: [] }]));
for (const b of builds) {
  batchRate(b.mod, 100);
  single(b.mod);
}
for (let r = 0; r < rounds; r++) {
  for (const b of builds) {
    const e = res.get(b);
    e[100].push(batchRate(b.mod, 100));
    e[10000].push(batchRate(b.mod, 10000));
    e.single.push(single(b.mod));
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const k = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : `${(v / 1e3).toFixed(1)}k`);
console.log(`model ${model}, style ${style}, ${rounds} interleaved rounds (median); old = ${oldRoot}, new = ${root}`);
console.log("target  build  rows/s @100  rows/s @10000  1-row µs (mean)");
for (const t of targets) {
  const [o, n] = ["old", "new"].map((tag) => res.get(builds.find((x) => x.tag === tag && x.target === t)));
  for (const [tag, e] of [
    ["old", o],
    ["new", n],
  ])
    console.log(`${t.padEnd(6)}  ${tag.padEnd(5)}  ${k(med(e[100])).padStart(11)}  ${k(med(e[10000])).padStart(13)}  ${med(e.single).toFixed(2).padStart(15)}`);
  console.log(
    `${t.padEnd(6)}  new/old  ×${(med(n[100]) / med(o[100])).toFixed(2)} @100  ×${(med(n[10000]) / med(o[10000])).toFixed(2)} @10000  1-row time ×${(med(n.single) / med(o.single)).toFixed(2)}`,
  );
}
