// Per-row cost of modelc's generated JS against m2cgen's on the small benchmark models, in one process with the
// candidates interleaved (ratios are what to read on a shared machine). Run `npm run bench -- --quick` first: it
// makes the models (.cache/bench/<model>) and m2cgen's JavaScript (.cache/bench/out/<model>/m2cgen-default.mjs).
//
//   node bench/row-overhead.mjs [--baseline DIR]   (DIR: another modelc checkout, built, to compare against)
//
// For each model: predictProba (classifiers) on plain-array rows and on typed-array rows of the model's input type
// (read in place), predictProbaInto (one reused buffer), predictRaw, and m2cgen's score(row) plus the probe's post-processing (the logistic function for
// binary linear models, [1 - p, p]). Prints the median ns/row over 15 interleaved rounds, and the ratio to m2cgen.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const baseline = args.includes("--baseline") ? resolve(args[args.indexOf("--baseline") + 1]) : undefined;
const cache = join(root, ".cache", "bench");
const outDir = join(cache, "row-overhead");
mkdirSync(outDir, { recursive: true });

function compile(bin, model, style, file) {
  const r = spawnSync(process.execPath, [bin, "compile", model, "-o", file, "--style", style], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${bin} compile ${model}: ${r.stderr}`);
  return file;
}

function time(cases, rows) {
  let sink = 0;
  for (const c of cases) for (let i = 0; i < 30000; i++) sink += first(c.f(c.rows[i % c.rows.length]));
  for (const c of cases) c.res = [];
  for (let round = 0; round < 15; round++)
    for (const c of cases) {
      const t = performance.now();
      let n = 0;
      do {
        for (let i = 0; i < 500; i++) sink += first(c.f(c.rows[(n + i) % rows]));
        n += 500;
      } while (performance.now() - t < 40);
      c.res.push(((performance.now() - t) * 1e6) / n);
    }
  for (const c of cases) c.med = c.res.sort((a, b) => a - b)[7];
  return sink;
}
const first = (y) => (typeof y === "number" ? y : y[0]);

for (const name of ["iris-xgb", "cancer-xgb", "cancer-logreg"]) {
  const dir = join(cache, name);
  if (!existsSync(join(dir, "meta.json"))) {
    console.log(`${name}: not made yet (npm run bench -- --quick)`);
    continue;
  }
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
  const model = join(dir, meta.model_file);
  const [, ...lines] = readFileSync(join(dir, "rows.csv"), "utf8").trim().split("\n");
  const rows = lines.map((l) => l.split(",").map((v) => (v === "" ? NaN : Number(v))));
  const typed = rows.map((r) => (meta.library === "xgboost" ? Float32Array.from(r) : Float64Array.from(r)));
  const cases = [];
  const m2 = join(cache, "out", name, "m2cgen-default.mjs");
  if (existsSync(m2)) {
    const { score } = await import(pathToFileURL(m2).href);
    const post = meta.width === 2 ? (s) => (typeof s === "number" ? ((p) => [1 - p, p])(1 / (1 + Math.exp(-s))) : s) : (s) => s;
    cases.push({ name: "m2cgen score + post", f: (x) => post(score(x)), rows });
  }
  const builds = [["modelc", join(root, "bin", "modelc.js")], ...(baseline ? [["baseline", join(baseline, "bin", "modelc.js")]] : [])];
  for (const [who, bin] of builds)
    for (const style of ["ifelse", "table"]) {
      const m = await import(pathToFileURL(compile(bin, model, style, join(outDir, `${name}-${who}-${style}.mjs`))).href);
      const fn = meta.classifier ? "predictProba" : "predict";
      cases.push({ name: `${who} ${style} ${fn}`, f: m[fn], rows });
      if (who === "modelc") {
        cases.push({ name: `${who} ${style} ${fn} (typed row)`, f: m[fn], rows: typed });
        if (m.predictProbaInto) {
          const buf = new Float64Array(meta.width);
          cases.push({ name: `${who} ${style} predictProbaInto`, f: (x) => m.predictProbaInto(x, buf, 0), rows });
        }
        cases.push({ name: `${who} ${style} predictRaw`, f: m.predictRaw, rows });
      }
    }
  time(cases, rows.length);
  const ref = cases[0];
  console.log(`\n${name}: ${meta.desc}`);
  for (const c of cases) console.log(`  ${c.name.padEnd(40)} ${c.med.toFixed(0).padStart(6)} ns/row  ${(c.med / ref.med).toFixed(2)}× ${ref.name}`);
}
