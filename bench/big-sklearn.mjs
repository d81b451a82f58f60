// Benchmark: the 500-tree unlimited-depth RandomForestClassifier on 100 000 rows (issue 3; made by
// `python/fixtures/sklearn_fixtures.py --big`, not committed). For each model JSON: `modelc compile`
// to .js in a fresh process (wall time, CPU time and peak RSS through GNU time), the sizes beside the pickle,
// and parity: predict and predict_proba of the compiled module on rows.csv against scikit-learn's
// own expected.json, every element with Object.is.
//
//   node bench/big-sklearn.mjs [--dir .cache/big-sk] [--make] [--reexport] [--json a.json,b.json] [--runs 3]
//
// --make fits and exports the forest (~7 min); --reexport writes model.json again from model.pkl
// with the current exporter (format 2, zlib-base64 arrays). --json compiles other exports of the
// same model (e.g. the format-1 lists, or compress=False). Timings are noisy on shared machines:
// compare within one run.

import { spawnSync } from "node:child_process";
import { mkdirSync, openSync, readFileSync, readSync, closeSync, statSync, writeFileSync } from "node:fs";
import { join, resolve, basename } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const root = resolve(import.meta.dirname, "..");

if (args[0] === "--probe") {
  // child: load the compiled module, compare with scikit-learn's outputs
  const [, js, csv, expectedFile] = args;
  const [header, ...lines] = readFileSync(csv, "utf8").trim().split(/\r?\n/);
  const nCols = header.split(",").length;
  const nRows = lines.length;
  const rows = new Float64Array(nRows * nCols);
  lines.forEach((l, i) => l.split(",").forEach((v, j) => (rows[i * nCols + j] = v === "" ? NaN : Number(v))));
  const t0 = performance.now();
  const m = await import(pathToFileURL(resolve(js)).href);
  const loadMs = performance.now() - t0;
  const exp = JSON.parse(readFileSync(expectedFile, "utf8"));
  const pred = m.predictBatch(rows, nRows);
  const proba = m.predictProbaBatch(rows, nRows);
  const k = exp.predict_proba[0].length;
  let mismatches = 0;
  let compared = 0;
  for (let i = 0; i < nRows; i++) {
    compared++;
    if (!Object.is(pred[i], exp.predict[i])) mismatches++;
    for (let c = 0; c < k; c++) {
      compared++;
      if (!Object.is(proba[i * k + c], exp.predict_proba[i][c])) mismatches++;
    }
  }
  process.stdout.write(JSON.stringify({ loadMs: +loadMs.toFixed(0), rows: nRows, compared, mismatches }));
  process.exit(0);
}

const dir = resolve(opt("--dir", join(root, ".cache", "big-sk")));
const out = join(root, "bench", "out");
mkdirSync(out, { recursive: true });

function python(venv) {
  const py = spawnSync("bash", [join(root, "python", "venv.sh"), venv], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (py.status !== 0) throw new Error(`venv ${venv} failed`);
  return py.stdout.trim();
}
if (args.includes("--make")) {
  const r = spawnSync(python("sk-new"), [join(root, "python", "fixtures", "sklearn_fixtures.py"), "--big", dir], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("sklearn_fixtures.py --big failed");
} else if (args.includes("--reexport")) {
  const t = performance.now();
  const r = spawnSync(python("sk-new"), ["-m", "modelc_export", join(dir, "model.pkl"), "-o", join(dir, "model.json")], {
    cwd: join(root, "python"),
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error("modelc_export failed");
  console.log(`re-exported model.json in ${((performance.now() - t) / 1000).toFixed(1)} s (including loading the pickle)`);
}
spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });

function formatVersion(file) {
  const fd = openSync(file, "r");
  const head = Buffer.alloc(200);
  readSync(fd, head, 0, 200, 0);
  closeSync(fd);
  return Number(/"format_version":\s*(\d+)/.exec(head.toString("latin1"))?.[1] ?? NaN);
}

const jsons = (opt("--json", undefined)?.split(",") ?? [join(dir, "model.json")]).map((f) => resolve(f));
const runs = Number(opt("--runs", "1"));
const pickleBytes = statSync(join(dir, "model.pkl")).size;
const results = [];
for (const json of jsons) {
  const js = join(out, `big-sk-${basename(json, ".json")}.js`);
  const times = [];
  const cpu = [];
  let peakMB = 0;
  let error;
  for (let r = 0; r < runs && !error; r++) {
    const t = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", process.execPath, join(root, "bin", "modelc.js"), "compile", json, "-o", js], {
      encoding: "utf8",
    });
    if (t.status !== 0) {
      error = t.stderr.trim().split("\n").slice(-2).join(" ");
      break;
    }
    const [secs, kb, user, sys] = t.stderr.trim().split("\n").pop().split(" ").map(Number);
    times.push(secs);
    cpu.push(+(user + sys).toFixed(2));
    peakMB = Math.max(peakMB, Math.round(kb / 1024));
  }
  if (error) {
    results.push({ json, error });
    continue;
  }
  const probe = spawnSync(
    process.execPath,
    ["--max-old-space-size=4096", import.meta.filename, "--probe", js, join(dir, "rows.csv"), join(dir, "expected.json")],
    { encoding: "utf8" },
  );
  const parity = probe.status === 0 ? JSON.parse(probe.stdout) : { error: probe.stderr.trim().split("\n").slice(-3).join(" ") };
  results.push({
    json,
    formatVersion: formatVersion(json),
    jsonMB: +(statSync(json).size / 1e6).toFixed(1),
    compileSeconds: times,
    compileMedianSeconds: [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)],
    compileCpuSeconds: cpu,
    compilePeakMB: peakMB,
    jsMB: +(statSync(js).size / 1e6).toFixed(1),
    pickleMB: +(pickleBytes / 1e6).toFixed(1),
    jsSmallerThanPickle: statSync(js).size < pickleBytes,
    parity,
  });
}

const report = {
  dir,
  node: process.version,
  cpus: (await import("node:os")).cpus().length,
  load: (await import("node:os")).loadavg().map((x) => +x.toFixed(2)),
  results,
};
writeFileSync(join(out, "big-sklearn.json"), JSON.stringify(report, null, 2));
console.log(`load average ${report.load.join(" ")}`);
for (const r of results) {
  if (r.error) {
    console.log(`${basename(r.json)}: FAILED: ${r.error}`);
    continue;
  }
  const p = r.parity.error
    ? `parity FAILED: ${r.parity.error}`
    : `parity ${r.parity.compared - r.parity.mismatches}/${r.parity.compared} exact (${r.parity.rows} rows), load ${r.parity.loadMs} ms`;
  console.log(
    `${basename(r.json)} (format ${r.formatVersion}, ${r.jsonMB} MB): compile ${r.compileSeconds.join("/")} s (CPU ${r.compileCpuSeconds.join("/")} s), peak RSS ${r.compilePeakMB} MB | ` +
      `.js ${r.jsMB} MB vs pickle ${r.pickleMB} MB (${r.jsSmallerThanPickle ? "smaller" : "NOT smaller"}) | ${p}`,
  );
}
if (results.some((r) => r.error || r.parity.error || r.parity.mismatches > 0 || !r.jsSmallerThanPickle)) process.exitCode = 1;
