// Benchmark: the 1000-tree depth-10 XGBoost model (made by python/fixtures/xgboost_big.py, not
// committed). Measures compile time and peak memory of `modelc compile` to .js per style, module
// size, load time, single-row latency and batch throughput, parity on every row, and puts XGBoost's
// own single-thread speed (measured in Python on the same rows) beside it.
//
//   node bench/big-model.mjs [--dir .cache/big] [--make]   (or --dir .cache/big-lgb for LightGBM model.txt)
//
// --make first runs the fixture script in the xgb3 venv. Timings are noisy on shared machines:
// compare the ratios within one run.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const dir = resolve(args.includes("--dir") ? args[args.indexOf("--dir") + 1] : ".cache/big");
const root = resolve(import.meta.dirname, "..");
const out = join(root, "bench", "out");
mkdirSync(out, { recursive: true });

if (args.includes("--make") || !(existsSync(join(dir, "model.json")) || existsSync(join(dir, "model.txt")))) {
  const py = spawnSync("bash", [join(root, "python", "venv.sh"), "xgb3"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (py.status !== 0) throw new Error("venv failed");
  const r = spawnSync(py.stdout.trim(), [join(root, "python", "fixtures", "xgboost_big.py"), "--out", dir], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("xgboost_big.py failed");
}
spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });

const modelFile = existsSync(join(dir, "model.json")) ? join(dir, "model.json") : join(dir, "model.txt");
const timing = existsSync(join(dir, "timing.json")) ? JSON.parse(readFileSync(join(dir, "timing.json"), "utf8")) : {};

function _median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function _pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}

// rows
const [header, ...lines] = readFileSync(join(dir, "rows.csv"), "utf8").trim().split(/\r?\n/);
const nCols = header.split(",").length;
const nRows = lines.length;
const rows = new Float64Array(nRows * nCols);
lines.forEach((l, i) => l.split(",").forEach((v, j) => (rows[i * nCols + j] = v === "" || v === "nan" ? NaN : Number(v))));
const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));

const results = [];
for (const style of ["table", "ifelse"]) {
  const js = join(out, `big-${style}.mjs`);
  // compile in a fresh process: wall time and peak RSS (GNU time)
  const t = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, join(root, "bin", "modelc.js"), "compile", modelFile, "-o", js, "--style", style], {
    encoding: "utf8",
  });
  if (t.status !== 0) {
    results.push({ style, error: t.stderr.trim().split("\n").slice(-2).join(" ") });
    continue;
  }
  const [secs, kb] = t.stderr.trim().split("\n").pop().split(" ").map(Number);
  const code = readFileSync(js);
  // load + predict in a fresh process so each style gets a clean heap
  const probe = spawnSync(process.execPath, ["--max-old-space-size=4096", join(root, "bench", "big-model-probe.mjs"), js, join(dir, "rows.csv")], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (probe.status !== 0) {
    results.push({ style, compileSeconds: secs, compilePeakMB: kb / 1024, error: probe.stderr.trim().split("\n").slice(-3).join(" ") });
    continue;
  }
  const p = JSON.parse(probe.stdout);
  // parity
  let mismatches = 0;
  const exp = expected.predict ?? expected.output;
  for (let i = 0; i < nRows; i++) if (!Object.is(p.predictions[i], exp[i])) mismatches++;
  results.push({
    style,
    compileSeconds: secs,
    compilePeakMB: Math.round(kb / 1024),
    sizeMB: +(code.length / 1e6).toFixed(2),
    gzipMB: +(gzipSync(code).length / 1e6).toFixed(2),
    loadMs: p.loadMs,
    singleRowMedianUs: p.singleMedianUs,
    singleRowP99Us: p.singleP99Us,
    batchRowsPerSec: p.batchRowsPerSec,
    rows: nRows,
    mismatches,
  });
}

const report = {
  model: modelFile,
  modelJsonMB: +(statSync(modelFile).size / 1e6).toFixed(1),
  xgboost: timing,
  modelc: results,
  node: process.version,
};
writeFileSync(join(out, "big-model.json"), JSON.stringify(report, null, 2));
console.log(`model.json ${report.modelJsonMB} MB`);
for (const r of results) {
  if (r.error) {
    console.log(`${r.style.padEnd(7)} FAILED: ${r.error}`);
    continue;
  }
  console.log(
    `${r.style.padEnd(7)} compile ${r.compileSeconds}s peak ${r.compilePeakMB} MB | .js ${r.sizeMB} MB (gzip ${r.gzipMB}) | load ${r.loadMs} ms | ` +
      `1 row median ${r.singleRowMedianUs} µs p99 ${r.singleRowP99Us} µs | batch ${Math.round(r.batchRowsPerSec)} rows/s | mismatches ${r.mismatches}/${r.rows}`,
  );
}
console.log("xgboost (python, 1 thread):", JSON.stringify(timing));
