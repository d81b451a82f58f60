// Benchmark: WebAssembly (.wasm + loader) against the JS module, for the 1000-tree depth-10 XGBoost model
// (python/fixtures/xgboost_big.py, not committed; see big-model.mjs) and the iris-sized example model, both styles,
// in one run: compile time and peak memory of `modelc compile` (fresh process), output size (raw and gzip), load
// time, single-row latency, batch throughput at 1, 100 and 10 000 rows, and parity (WASM = JS = XGBoost).
//
//   node bench/wasm.mjs [--dir .cache/big] [--make] [--styles table,ifelse] [--big-styles table]
//
// --make first runs the fixture script in the xgb3 venv. --big-styles limits the styles tried on the big model
// (default: both; its ifelse build takes minutes and gigabytes in asc/binaryen). Timings are noisy on shared
// machines: compare ratios within one run. Results also go to bench/out/wasm.json.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const dir = resolve(opt("--dir", ".cache/big"));
const styles = opt("--styles", "table,ifelse").split(",");
const bigStyles = opt("--big-styles", styles.join(",")).split(",");
const root = resolve(import.meta.dirname, "..");
const out = join(root, "bench", "out", "wasm");
mkdirSync(out, { recursive: true });

if (args.includes("--make") || !existsSync(join(dir, "model.json"))) {
  const py = spawnSync("bash", [join(root, "python", "venv.sh"), "xgb3"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (py.status !== 0) throw new Error("venv failed");
  const r = spawnSync(py.stdout.trim(), [join(root, "python", "fixtures", "xgboost_big.py"), "--out", dir], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("xgboost_big.py failed");
}
spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });

const MODELS = [
  { name: "big", model: join(dir, "model.json"), rows: join(dir, "rows.csv"), expected: join(dir, "expected.json"), tile: 10000, styles: bigStyles },
  { name: "iris", model: join(root, "examples", "iris-xgb", "model.json"), rows: join(root, "examples", "iris-xgb", "rows.csv"), tile: 10000, styles },
];

function compile(model, file, style) {
  const t = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, join(root, "bin", "modelc.js"), "compile", model, "-o", file, "--style", style], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (t.status !== 0) return { error: t.stderr.trim().split("\n").slice(-3).join(" ") };
  const [secs, kb] = t.stderr.trim().split("\n").pop().split(" ").map(Number);
  return { compileSeconds: secs, compilePeakMB: Math.round(kb / 1024) };
}

function probe(file, csv, tile) {
  const p = spawnSync(process.execPath, ["--max-old-space-size=4096", join(root, "bench", "wasm-probe.mjs"), file, csv, String(tile)], {
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  if (p.status !== 0) return { error: p.stderr.trim().split("\n").slice(-3).join(" ") };
  return JSON.parse(p.stdout);
}

const size = (f) => statSync(f).size;
const gz = (f) => gzipSync(readFileSync(f)).length;

const results = [];
for (const m of MODELS) {
  const expected = m.expected && existsSync(m.expected) ? JSON.parse(readFileSync(m.expected, "utf8")) : undefined;
  for (const style of m.styles) {
    const entry = { model: m.name, style };
    const jsFile = join(out, `${m.name}-${style}.mjs`);
    const wasmFile = join(out, `${m.name}-${style}.wasm`);
    const loaderFile = join(out, `${m.name}-${style}.js`);
    const js = compile(m.model, jsFile, style);
    const wasm = compile(m.model, wasmFile, style);
    entry.js = { ...js, ...(js.error ? {} : { bytes: size(jsFile), gzipBytes: gz(jsFile) }) };
    entry.wasm = { ...wasm, ...(wasm.error ? {} : { bytes: size(wasmFile), gzipBytes: gz(wasmFile), loaderBytes: size(loaderFile) }) };
    const pj = js.error ? undefined : probe(jsFile, m.rows, m.tile);
    const pw = wasm.error ? undefined : probe(loaderFile, m.rows, m.tile);
    for (const [k, p] of [
      ["js", pj],
      ["wasm", pw],
    ]) {
      if (!p) continue;
      const { predictions, ...timing } = p;
      Object.assign(entry[k], timing);
    }
    if (pj?.predictions && pw?.predictions) {
      entry.wasmEqualsJs = pj.predictions.length === pw.predictions.length && pj.predictions.every((v, i) => Object.is(v, pw.predictions[i]));
    }
    const exp = expected?.predict ?? expected?.output;
    if (exp && pw?.predictions) entry.wasmMismatchesVsLibrary = exp.filter((v, i) => !Object.is(v, pw.predictions[i])).length;
    results.push(entry);
    process.stderr.write(`${m.name} ${style}: done\n`);
  }
}

const timing = existsSync(join(dir, "timing.json")) ? JSON.parse(readFileSync(join(dir, "timing.json"), "utf8")) : undefined;
writeFileSync(join(root, "bench", "out", "wasm.json"), JSON.stringify({ node: process.version, results, xgboost: timing }, null, 2));

const f = (v, d = 1) => (v === undefined ? "-" : typeof v === "number" ? v.toFixed(d) : String(v));
const k = (v) => (v === undefined ? "-" : v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : String(v));
console.log("wall clock (rows/s) and, in brackets, per CPU second of the process (steadier on a loaded machine)");
console.log("model  style   target  compile s  peak MB  size KB (gzip)   load ms  1-row µs median / mean [cpu]   rows/s @1         @100              @10000");
for (const r of results) {
  for (const t of ["js", "wasm"]) {
    const e = r[t];
    if (e.error) {
      console.log(`${r.model.padEnd(6)} ${r.style.padEnd(7)} ${t.padEnd(6)}  error: ${e.error}`);
      continue;
    }
    const b = e.batchRowsPerSec ?? {};
    const bc = e.batchRowsPerCpuSec ?? {};
    const both = (n) => `${k(b[n])} [${k(bc[n])}]`.padStart(17);
    console.log(
      `${r.model.padEnd(6)} ${r.style.padEnd(7)} ${t.padEnd(6)}  ${f(e.compileSeconds, 2).padStart(9)}  ${f(e.compilePeakMB, 0).padStart(7)}  ${`${f(e.bytes / 1024, 0)} (${f(e.gzipBytes / 1024, 0)})`.padStart(15)}  ${f(e.loadMs).padStart(8)}  ${`${f(e.singleMedianUs, 2)} / ${f(e.singleMeanUs, 2)} [${f(e.singleMeanCpuUs, 2)}]`.padStart(29)}  ${both(1)} ${both(100)} ${both(10000)}`,
    );
  }
  const parity = [
    r.wasmEqualsJs === undefined ? "" : `WASM = JS on every row: ${r.wasmEqualsJs}`,
    r.wasmMismatchesVsLibrary === undefined ? "" : `WASM vs XGBoost mismatches: ${r.wasmMismatchesVsLibrary}`,
  ];
  console.log(`       ${parity.filter(Boolean).join("; ")}`);
}
if (timing)
  console.log(
    `XGBoost ${timing.version} (1 thread, Python): single row median ${timing.single_row.median_us} µs; batch ${timing.batch.rows} rows ${(timing.batch.rows / timing.batch.median_s).toFixed(0)} rows/s`,
  );
