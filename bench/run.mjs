// modelc against its peers, on the same models and the same rows, in one run (issue 7).
//
//   node bench/run.mjs [--quick] [--only name,name] [--docs | --no-docs] [--out DIR] [--budget SECONDS]
//   node bench/run.mjs --report bench/out/results.json [--docs]   (rewrite the report only)
//   npm run bench [-- --quick]
//
// Prepares what it needs itself: builds modelc, the pinned Python venv `bench`
// (python/requirements/bench.txt: XGBoost, LightGBM, scikit-learn, m2cgen, onnxmltools/skl2onnx,
// treelite/tl2cgen) and onnxruntime-node (bench/npm/package-lock.json, installed into .cache/bench-npm
// without install scripts: the CPU build ships inside the npm package). Trains the models
// (python/bench/models.py; --quick: the three small ones), then per model measures
//   modelc ifelse, table and WebAssembly; m2cgen's JavaScript in this Node; onnxruntime-node on the
//   model converted to ONNX; the library itself in Python (1 thread); lleaves (LLVM-compiled LightGBM models,
//   its own venv python/requirements/bench-lleaves.txt, made only when a LightGBM model is measured: never in
//   --quick, whose models are XGBoost and scikit-learn); treelite/tl2cgen compiled C
// for: code generation time and peak RSS, output size raw and gzipped, esbuild bundling time,
// module load time, single-row latency (median, p99), batch throughput at 100 and 10 000 rows, and
// correctness (rows whose output differs from the library's, max |difference|); on tree models also the nodes
// visited per row (from the library's pred_leaf and the leaf depths) and so each tool's ns per visited node in
// batch; where m2cgen's JavaScript runs, single-row time of modelc and m2cgen interleaved in one process
// (bench/peers/pair.mjs). Then the goals of issue #18 (bench/peers/goals.mjs) as ratios within the run:
// printed, and written to the results JSON and the report.
// A peer that fails is recorded with its message. Results: bench/out/results.json (or results-quick.json);
// the full run also writes docs/benchmarks.md and docs/bench/*.svg (--docs/--no-docs to choose).
// Time: --budget (default 165 s with --quick, 1110 s otherwise) bounds the whole run from a fresh clone; the
// treelite/tl2cgen gcc builds run last and get what is left (at most 60 / 240 s each), the rest is recorded.
// Timings are wall-clock on whatever else the machine runs: compare ratios within one run.

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { gzipSync } from "node:zlib";
import { GOAL_MODELS, goals, goalsText, nsPerNode } from "./peers/goals.mjs";
import { writeReport } from "./peers/report.mjs";

const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const quick = args.includes("--quick");
const root = resolve(import.meta.dirname, "..");
const cache = resolve(opt("--out", join(root, ".cache", "bench")));
const work = join(cache, "out");
const only = opt("--only", "");
const docs = args.includes("--docs") || (!quick && !args.includes("--no-docs"));
const TILE = 10000;
const GEN_TIMEOUT_S = quick ? 90 : 300;
const PROBE_TIMEOUT_S = quick ? 60 : 300;
// Time budget of the whole run, venv and npm installs included (what must hold: --quick < 3 min, full < 20 min
// from a fresh clone on a 2-core machine); only the treelite builds (run last) are cut to fit it.
const RUN_BUDGET_S = Number(opt("--budget", quick ? 165 : 1110));
const TREELITE_LIMIT_S = quick ? 60 : 240;
// lleaves' LLVM compile of the 500-tree LightGBM model: ~70 s and 1.6 GB on an idle 2-core machine
const LLEAVES_TIMEOUT_S = 480;
// the probes' warm-up to steady speed (bench/peers/probe.mjs): windows of WARMUP_MS until two agree within 5%
const WARMUP_ENV = quick
  ? { BENCH_WARMUP_MS: "250", BENCH_WARMUP_MAX_S: "1.5", BENCH_SINGLE_WARMUP_MAX_S: "0" }
  : { BENCH_WARMUP_MS: "500", BENCH_WARMUP_MAX_S: "20", BENCH_SINGLE_WARMUP_MAX_S: "4" };
const ORT_VERSION = JSON.parse(readFileSync(join(root, "bench", "npm", "package.json"), "utf8")).dependencies["onnxruntime-node"];
const started = performance.now();
mkdirSync(work, { recursive: true });

const log = (s) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${s}\n`);
const lastLines = (s, n = 2) =>
  String(s ?? "")
    .trim()
    .split("\n")
    .filter((l) => !/^\s*$/.test(l))
    .slice(-n)
    .join(" | ")
    .slice(0, 400);

// --report FILE: only rewrite the report from a results file of an earlier run
if (args.includes("--report")) {
  const report = JSON.parse(readFileSync(resolve(opt("--report")), "utf8"));
  for (const e of report.results) for (const t of e.tools) if (nsPerNode(e, t) !== undefined) t.nsPerNode = +nsPerNode(e, t).toFixed(3);
  report.goals = goals(report);
  process.stderr.write(`goals (issue #18; ratios within that run):\n${goalsText(report.goals).join("\n")}\n`);
  const md = writeReport(
    report,
    report.quick && !args.includes("--docs")
      ? { md: join(root, "bench", "out", "benchmarks-quick.md"), svgDir: join(root, "bench", "out", "svg"), svgRel: "svg" }
      : { md: join(root, "docs", "benchmarks.md"), svgDir: join(root, "docs", "bench"), svgRel: "bench" },
  );
  console.log(md);
  process.exit(0);
}

// ---------------------------------------------------------------- setup
log("building modelc");
let r = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
if (r.status !== 0) throw new Error("scripts/build.mjs failed");

log("python venv (python/requirements/bench.txt)");
r = spawnSync("bash", [join(root, "python", "venv.sh"), "bench"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
if (r.status !== 0) throw new Error("python/venv.sh bench failed");
const PY = r.stdout.trim();

// onnxruntime-node: pinned with its lock file in bench/npm, installed with `npm ci --ignore-scripts` into
// .cache/bench-npm (288 MB, so not a devDependency of modelc itself). The npm package ships the CPU build
// (bin/napi-v6/<platform>/<arch>: libonnxruntime.so.1 + the binding); its postinstall script only downloads
// the optional CUDA/TensorRT providers from NuGet, which a machine with only npm/PyPI access cannot reach:
// skipped twice over (no install scripts, ONNXRUNTIME_NODE_INSTALL=skip). A stamp of the lock file's hash
// marks a complete install; a failed install or load is recorded as onnxruntime's result.
const ortDir = join(root, ".cache", "bench-npm");
let ortError;
{
  const lock = readFileSync(join(root, "bench", "npm", "package-lock.json"), "utf8");
  const stamp = join(ortDir, ".modelc-stamp");
  const want = createHash("sha256").update(lock).digest("hex");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== want) {
    log(`onnxruntime-node ${ORT_VERSION} into ${ortDir} (npm ci --ignore-scripts)`);
    rmSync(ortDir, { recursive: true, force: true });
    mkdirSync(ortDir, { recursive: true });
    for (const f of ["package.json", "package-lock.json"]) writeFileSync(join(ortDir, f), readFileSync(join(root, "bench", "npm", f)));
    r = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: ortDir,
      encoding: "utf8",
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" },
    });
    if (r.status !== 0) ortError = `npm ci onnxruntime-node failed: ${lastLines(r.stderr)}`;
    else writeFileSync(stamp, want);
  }
  if (!ortError) {
    const v = spawnSync(
      process.execPath,
      ["-e", "const o = require('onnxruntime-node'); console.log(require('onnxruntime-node/package.json').version, typeof o.InferenceSession.create)"],
      { cwd: ortDir, encoding: "utf8" },
    );
    if (v.status !== 0 || v.stdout.trim() !== `${ORT_VERSION} function`) ortError = `onnxruntime-node does not load: ${lastLines(v.stderr || v.stdout)}`;
  }
  if (ortError) log(ortError);
}

log(`training models (${quick ? "quick" : "full"} set; kept when already made)`);
r = spawnSync(PY, [join(root, "python", "bench", "models.py"), "--out", cache, "--set", quick ? "quick" : "full", ...(only ? ["--only", only] : [])], {
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
if (r.status !== 0) throw new Error("python/bench/models.py failed");
const names = JSON.parse(r.stdout.trim().split("\n").pop());

// ---------------------------------------------------------------- helpers
/** Run a command under GNU time: { ok, seconds, peakMB, stdout, stderr, error }. */
function timed(cmd, argv, timeoutS, env) {
  // coreutils timeout runs the command in its own process group and kills the whole group (gcc children too)
  const t = spawnSync("/usr/bin/time", ["-f", "@@time %e %M", "timeout", "-k", "5", String(timeoutS), cmd, ...argv], {
    encoding: "utf8",
    maxBuffer: 512 << 20,
    timeout: (timeoutS + 30) * 1000,
    killSignal: "SIGKILL",
    env: env ? { ...process.env, ...env } : process.env,
  });
  const lines = String(t.stderr ?? "").split("\n");
  const tl = lines.find((l) => l.startsWith("@@time "));
  const stderr = lines.filter((l) => !l.startsWith("@@time ") && !l.startsWith("Command exited with non-zero status")).join("\n");
  const [seconds, kb] = tl ? tl.slice(7).split(" ").map(Number) : [undefined, undefined];
  if (t.error?.code === "ETIMEDOUT" || t.signal === "SIGKILL" || t.status === 124 || t.status === 137)
    return { ok: false, error: `timed out after ${timeoutS} s` };
  if (t.status !== 0) return { ok: false, seconds, peakMB: kb && Math.round(kb / 1024), error: lastLines(stderr) || `exit ${t.status}` };
  return { ok: true, seconds, peakMB: Math.round(kb / 1024), stdout: t.stdout, stderr };
}

function probe(kind, file, dir, width, extra = []) {
  const p = spawnSync(
    process.execPath,
    [
      "--max-old-space-size=4096",
      "--stack-size=8000",
      join(root, "bench", "peers", "probe.mjs"),
      kind,
      file,
      join(dir, "rows.csv"),
      String(width),
      String(TILE),
      ...extra,
    ],
    {
      encoding: "utf8",
      maxBuffer: 512 << 20,
      timeout: PROBE_TIMEOUT_S * 1000,
      killSignal: "SIGKILL",
      env: { ...process.env, ...WARMUP_ENV },
    },
  );
  if (p.error?.code === "ETIMEDOUT" || p.signal === "SIGKILL") return { error: `probe timed out after ${PROBE_TIMEOUT_S} s` };
  if (p.status !== 0) {
    const errLine = String(p.stderr)
      .split("\n")
      .find((l) => /^\w*Error\b|^Error:|Error: /.test(l.trim()));
    return { error: (errLine ?? lastLines(p.stderr, 3)).trim().slice(0, 400) || `exit ${p.status}` };
  }
  return JSON.parse(p.stdout);
}

let esbuild;
async function bundleTime(file) {
  esbuild ??= await import("esbuild");
  const entry = join(work, `entry-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(entry, `import * as m from ${JSON.stringify(file)};\nglobalThis.__model = m;\n`);
  try {
    const ms = [];
    let bytes;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const res = await esbuild.build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", platform: "node", write: false, logLevel: "silent" });
      ms.push(performance.now() - t);
      bytes = res.outputFiles[0].contents.length;
    }
    ms.sort((a, b) => a - b);
    return { bundleMs: +ms[1].toFixed(1), bundleBytes: bytes };
  } catch (e) {
    return { bundleError: lastLines(e.message) };
  } finally {
    rmSync(entry, { force: true });
  }
}

function compare(outputs, expected, width) {
  if (!outputs) return {};
  const exp = expected.output;
  if (outputs.length !== exp.length) return { correctnessError: `output length ${outputs.length}, library ${exp.length} (width ${width})` };
  let rows = 0;
  let maxDiff = 0;
  let maxUlps = 0;
  const n = exp.length / width;
  for (let i = 0; i < n; i++) {
    let bad = false;
    for (let k = 0; k < width; k++) {
      const a = outputs[i * width + k];
      const b = exp[i * width + k];
      if (!Object.is(a, b)) {
        bad = true;
        const d = Math.abs(a - b);
        maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
        maxUlps = Math.max(maxUlps, ulps(a, b));
      }
    }
    if (bad) rows++;
  }
  return { rowsDiffering: rows, rowsCompared: n, maxAbsDiff: maxDiff, maxUlps };
}

/** Distance in units in the last place between two doubles (Infinity if either is NaN or the signs differ). */
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
function ulps(a, b) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  if (Math.sign(a) !== Math.sign(b) && a !== 0 && b !== 0) return Infinity;
  f64[0] = Math.abs(a);
  const x = i64[0];
  f64[0] = Math.abs(b);
  const y = i64[0];
  return Number(x > y ? x - y : y - x);
}

const size = (f) => statSync(f).size;
const gz = (f) => gzipSync(readFileSync(f)).length;
const modelcBin = join(root, "bin", "modelc.js");
const python = (cmd, dir, out, timeoutS = GEN_TIMEOUT_S, env, py = PY) => {
  const t = timed(py, [join(root, "python", "bench", "peers.py"), cmd, dir, ...(out ? [out] : []), "--tile", String(TILE)], timeoutS, env);
  if (!t.ok) return t;
  try {
    return { ...t, json: JSON.parse(t.stdout.trim().split("\n").pop()) };
  } catch (_e) {
    return { ok: false, error: `bad output: ${lastLines(t.stdout)}` };
  }
};

// lleaves' venv, made on first use (a LightGBM model in the run)
let LL;
let llError;
function lleavesPython() {
  if (LL || llError) return LL;
  log("python venv bench-lleaves (python/requirements/bench-lleaves.txt)");
  const v = spawnSync("bash", [join(root, "python", "venv.sh"), "bench-lleaves"], { encoding: "utf8" });
  if (v.status !== 0) llError = `venv bench-lleaves (lleaves, llvmlite 0.44.0) failed: ${lastLines(v.stderr)}`;
  else LL = v.stdout.trim();
  return LL;
}

// ---------------------------------------------------------------- measure
const results = [];
for (const name of names) {
  const dir = join(cache, name);
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
  const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
  const width = expected.width;
  const model = join(dir, meta.model_file);
  const out = join(work, name);
  mkdirSync(out, { recursive: true });
  const entry = {
    model: name,
    desc: meta.desc,
    library: `${meta.library} ${meta.version}`,
    features: meta.features,
    rows: meta.rows,
    width,
    outputKind: expected.method,
    modelBytes: meta.model_bytes,
    linear: meta.algo === "sk-logreg",
    tools: [],
  };
  results.push(entry);
  log(`${name}: ${meta.desc}`);

  // the library itself (Python, 1 thread)
  const lib = python("library", dir, undefined, PROBE_TIMEOUT_S);
  entry.tools.push({
    tool: "library",
    label: `${meta.library} (Python)`,
    ...(lib.ok ? lib.json : { error: lib.error }),
    rowsDiffering: 0,
    rowsCompared: meta.rows,
    maxAbsDiff: 0,
  });
  log(`  library ${lib.ok ? "ok" : lib.error}`);

  // nodes visited per row on the timed rows (tree models): for ns per visited node
  if (!entry.linear) {
    const v = python("visits", dir, undefined, PROBE_TIMEOUT_S);
    if (v.ok) Object.assign(entry, { visitsPerRow: v.json.visitsPerRow, trees: v.json.trees, visitsMethod: v.json.method });
    else entry.visitsError = v.error;
    log(`  visits per row ${v.ok ? v.json.visitsPerRow : v.error}`);
  }

  // modelc
  const modelcFiles = {};
  for (const target of ["ifelse", "table", "wasm"]) {
    // wasm: the style users get (--style auto: ifelse up to 100 000 nodes, table with its SIMD lockstep above)
    const style = target === "wasm" ? "auto" : target;
    const file = join(out, target === "wasm" ? "model-wasm.wasm" : `model-${target}.mjs`);
    const loader = target === "wasm" ? file.replace(/\.wasm$/, ".js") : file;
    const res = { tool: `modelc-${target}`, label: target === "wasm" ? "modelc wasm (auto style)" : `modelc ${target}` };
    const c = timed(process.execPath, [modelcBin, "compile", model, "-o", file, "--style", style], GEN_TIMEOUT_S);
    if (!c.ok) {
      entry.tools.push({ ...res, error: `compile: ${c.error}` });
      log(`  ${res.tool} compile failed: ${c.error}`);
      continue;
    }
    Object.assign(res, { genSeconds: c.seconds, genPeakMB: c.peakMB, genMethod: "modelc compile process (includes Node start-up)" });
    res.bytes = size(file) + (target === "wasm" ? size(loader) : 0);
    res.gzipBytes = gz(file) + (target === "wasm" ? gz(loader) : 0);
    Object.assign(res, await bundleTime(loader));
    const p = probe("modelc", loader, dir, width);
    if (p.error) res.error = p.error;
    else if (p.singleVsBatch) res.error = `predictProba/predict and the batch API disagree: ${p.singleVsBatch}`;
    else {
      const { outputs, ...t } = p;
      Object.assign(res, t, compare(outputs, expected, width));
      modelcFiles[res.tool] = loader;
    }
    entry.tools.push(res);
    log(`  ${res.tool} ${res.error ?? `ok, ${res.rowsDiffering} rows differ`}`);
  }

  // m2cgen → JavaScript, run here; when it hits Python's recursion limit (its documented failure on deep or
  // large ensembles), that is the result, and a second row tries again with the limit raised as its docs suggest
  for (const variant of ["default", "raised"]) {
    const prev = entry.tools.at(-1);
    if (variant === "raised" && !(prev?.tool === "m2cgen" && /RecursionError/.test(prev.error ?? ""))) break;
    const file = join(out, `m2cgen-${variant}.mjs`);
    const res = variant === "default" ? { tool: "m2cgen", label: "m2cgen JS" } : { tool: "m2cgen-raised", label: "m2cgen JS, recursion limit 10⁶" };
    const g = python("m2cgen", dir, file, GEN_TIMEOUT_S, variant === "raised" ? { BENCH_RECURSION_LIMIT: "1000000" } : undefined);
    if (!g.ok) res.error = `m2cgen: ${g.error}`;
    else {
      Object.assign(res, {
        genSeconds: g.json.seconds,
        genPeakMB: g.peakMB,
        genProcessSeconds: g.seconds,
        genMethod: "m2cgen.export_to_javascript call (process peak RSS)",
      });
      res.bytes = size(file);
      res.gzipBytes = gz(file);
      Object.assign(res, await bundleTime(file));
      const p = probe("m2cgen", file, dir, width);
      if (p.error) res.error = p.error;
      else {
        const { outputs, ...t } = p;
        Object.assign(res, t, compare(outputs, expected, width));
      }
    }
    entry.tools.push(res);
    log(`  m2cgen ${res.error ?? `ok, ${res.rowsDiffering} rows differ`}`);
  }

  // single row on plain arrays, modelc's targets and m2cgen interleaved in one process (the goal's ratio)
  {
    const m2 = entry.tools.find((t) => t.tool === "m2cgen");
    if (m2 && !m2.error && Object.keys(modelcFiles).length) {
      const specs = [...Object.entries(modelcFiles).map(([id, f]) => `${id}=modelc:${f}`), `m2cgen=m2cgen:${join(out, "m2cgen-default.mjs")}`];
      const p = spawnSync(process.execPath, [join(root, "bench", "peers", "pair.mjs"), join(dir, "rows.csv"), String(width), ...specs], {
        encoding: "utf8",
        timeout: PROBE_TIMEOUT_S * 1000,
        killSignal: "SIGKILL",
      });
      if (p.status === 0) {
        const { sink: _s, ...j } = JSON.parse(p.stdout);
        entry.singleInterleaved = j;
      } else entry.singleInterleaved = { error: p.error?.code === "ETIMEDOUT" ? "timed out" : lastLines(p.stderr) || `exit ${p.status}` };
      log(`  single row interleaved: ${JSON.stringify(entry.singleInterleaved.nsPerRow ?? entry.singleInterleaved.error)}`);
    }
  }

  // ONNX → onnxruntime-node
  {
    const file = join(out, "model.onnx");
    const res = { tool: "onnxruntime", label: "onnxruntime-node" };
    if (ortError) res.error = ortError;
    else {
      const g = python("onnx", dir, file);
      if (!g.ok) res.error = `ONNX conversion: ${g.error}`;
      else {
        Object.assign(res, {
          genSeconds: g.json.seconds,
          genPeakMB: g.peakMB,
          genProcessSeconds: g.seconds,
          converter: g.json.converter,
          onnxOutput: g.json.output,
          genMethod: `${g.json.converter} convert call (process peak RSS)`,
        });
        res.bytes = size(file);
        res.gzipBytes = gz(file);
        res.bundleError = "n/a (native addon)";
        const p = probe("ort", file, dir, width, [g.json.output, join(ortDir, "node_modules")]);
        if (p.error) res.error = p.error;
        else {
          const { outputs, ...t } = p;
          Object.assign(res, t, compare(outputs, expected, width));
        }
      }
    }
    entry.tools.push(res);
    log(`  onnxruntime ${res.error ?? `ok, ${res.rowsDiffering} rows differ`}`);
  }

  // lleaves (LightGBM models only): compiled by one process (timed: compile time, peak RSS), timed by another
  if (meta.library === "lightgbm") {
    const file = join(out, "lleaves.so");
    const res = { tool: "lleaves", label: "lleaves (LLVM, Python)" };
    const ll = lleavesPython();
    if (!ll) res.error = llError;
    else {
      const g = python("lleaves-compile", dir, file, LLEAVES_TIMEOUT_S, undefined, ll);
      if (!g.ok) res.error = `lleaves compile: ${g.error}`;
      else {
        Object.assign(res, {
          genSeconds: g.json.seconds,
          genPeakMB: g.peakMB,
          genProcessSeconds: g.seconds,
          version: g.json.version,
          genMethod: "lleaves Model.compile (LLVM to an object file, cached) (process peak RSS)",
          bytes: size(file),
          gzipBytes: gz(file),
          bundleError: "n/a (native code)",
        });
        const p = python("lleaves", dir, file, PROBE_TIMEOUT_S, undefined, ll);
        if (!p.ok) res.error = `lleaves: ${p.error}`;
        else {
          const { outputs, ...t } = p.json;
          Object.assign(res, t, compare(outputs, expected, width));
        }
      }
    }
    entry.tools.push(res);
    log(`  lleaves ${res.error ?? `ok, compile ${res.genSeconds} s, ${res.genPeakMB} MB, ${res.rowsDiffering} rows differ`}`);
  }
}

// ---------------------------------------------------------------- interleaved batch timing for the goals
// The goals compare batch throughput between tools; measured one after another (above), a change in the shared
// machine's load between two probes moves the ratio. So for the goal models, the tools compared are started side by
// side (each warmed up to steady speed, bench/peers/window.mjs and peers.py window), then timed in turns: ROUNDS
// rounds, each giving every tool one window of WINDOW_MS (order rotated per round); the median per tool.
const ROUNDS = quick ? 3 : 5;
const WINDOW_MS = quick ? 300 : 1000;

/** A child speaking window.mjs's line protocol: { ready (warm-up), rate(ms), close() }. */
async function startWindow(id, cmd, argv, env) {
  const p = spawn(cmd, argv, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
  const lines = [];
  const waiters = [];
  let stderr = "";
  let exited = false;
  p.stderr.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  createInterface({ input: p.stdout }).on("line", (l) => {
    const w = waiters.shift();
    if (w) w(l);
    else lines.push(l);
  });
  p.on("exit", () => {
    exited = true;
    for (const w of waiters.splice(0)) w(null);
  });
  const next = (timeoutMs) =>
    new Promise((res) => {
      if (lines.length) return res(lines.shift());
      if (exited) return res(null);
      const w = (l) => {
        clearTimeout(t);
        res(l);
      };
      const t = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        res(null);
      }, timeoutMs);
      waiters.push(w);
    });
  const close = () => {
    if (!exited) {
      p.stdin.end("q\n");
      setTimeout(() => exited || p.kill("SIGKILL"), 5000).unref();
    }
  };
  const first = await next(PROBE_TIMEOUT_S * 1000);
  if (!first?.startsWith("ready ")) {
    close();
    p.kill("SIGKILL");
    return { id, error: first === null ? lastLines(stderr) || "no answer" : `unexpected: ${first.slice(0, 200)}` };
  }
  return {
    id,
    ready: JSON.parse(first.slice(6)),
    rate: async (ms) => {
      p.stdin.write(`w ${ms}\n`);
      const l = await next(ms + 120000);
      return l === null ? undefined : Number(l);
    },
    close,
  };
}

for (const entry of results.filter((e) => GOAL_MODELS.includes(e.model) || e.linear)) {
  const name = entry.model;
  const dir = join(cache, name);
  const out = join(work, name);
  const tool = (id) => entry.tools.find((t) => t.tool === id && !t.error && t.batchRowsPerSec?.[TILE] > 0);
  // modelc's best target by this run's probe
  const mc = ["modelc-ifelse", "modelc-table", "modelc-wasm"]
    .map(tool)
    .filter(Boolean)
    .sort((a, b) => b.batchRowsPerSec[TILE] - a.batchRowsPerSec[TILE])[0];
  if (!mc) continue;
  const mcFile = join(out, mc.tool === "modelc-wasm" ? "model-wasm.js" : `model-${mc.tool.slice(7)}.mjs`);
  const pyWin = (py, extra) => [py, [join(root, "python", "bench", "peers.py"), "window", dir, ...extra, "--tile", String(TILE)]];
  const specs = [
    ["library", ...pyWin(PY, [])],
    [
      mc.tool,
      process.execPath,
      [
        "--max-old-space-size=4096",
        "--stack-size=8000",
        join(root, "bench", "peers", "window.mjs"),
        "modelc",
        mcFile,
        join(dir, "rows.csv"),
        String(entry.width),
        String(TILE),
      ],
    ],
  ];
  const ortTool = tool("onnxruntime");
  if (ortTool)
    specs.push([
      "onnxruntime",
      process.execPath,
      [
        join(root, "bench", "peers", "window.mjs"),
        "ort",
        join(out, "model.onnx"),
        join(dir, "rows.csv"),
        String(entry.width),
        String(TILE),
        ortTool.onnxOutput,
        join(ortDir, "node_modules"),
      ],
    ]);
  if (tool("lleaves") && LL) specs.push(["lleaves", ...pyWin(LL, [join(out, "lleaves.so")])]);
  log(`${name}: interleaved batch timing (${specs.map((s) => s[0]).join(", ")}), ${ROUNDS} rounds of ${WINDOW_MS} ms windows`);
  const kids = [];
  const res = { rounds: ROUNDS, windowMs: WINDOW_MS, rowsPerSec: {}, windows: {}, warmup: {}, errors: {} };
  for (const [id, cmd, argv] of specs) {
    const k = await startWindow(id, cmd, argv, { ...WARMUP_ENV, BENCH_WARMUP_MAX_S: quick ? "1.5" : "30", BENCH_WARMUP_MS: quick ? "250" : "1000" });
    if (k.error) res.errors[id] = k.error;
    else {
      kids.push(k);
      res.warmup[id] = k.ready;
      res.windows[id] = [];
    }
  }
  for (let r = 0; r < ROUNDS; r++)
    for (let j = 0; j < kids.length; j++) {
      const k = kids[(j + r) % kids.length];
      const v = await k.rate(WINDOW_MS);
      if (v > 0) res.windows[k.id].push(v);
    }
  for (const k of kids) k.close();
  for (const [id, w] of Object.entries(res.windows)) if (w.length) res.rowsPerSec[id] = [...w].sort((a, b) => a - b)[w.length >> 1];
  entry.batchInterleaved = res;
  log(`  ${JSON.stringify(res.rowsPerSec)}${Object.keys(res.errors).length ? ` errors ${JSON.stringify(res.errors)}` : ""}`);
}

// treelite / tl2cgen → C shared library, timed from Python. gcc -O3 on large ensembles is the slowest step of the
// run (minutes per model on 2 cores), so these builds run last, smallest model first, each limited to what is left
// of the run's time budget (and at most TREELITE_LIMIT_S): what does not fit is recorded as a time limit.
const treeliteJobs = results
  .map((entry) => ({ entry, meta: JSON.parse(readFileSync(join(cache, entry.model, "meta.json"), "utf8")) }))
  .sort((a, b) => a.meta.model_bytes - b.meta.model_bytes);
for (const { entry } of treeliteJobs) {
  const name = entry.model;
  const dir = join(cache, name);
  const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
  const width = expected.width;
  const file = join(work, name, "treelite.so");
  const res = { tool: "treelite", label: "treelite/tl2cgen C (Python)" };
  const left = Math.floor(RUN_BUDGET_S - (performance.now() - started) / 1000);
  const limit = Math.min(TREELITE_LIMIT_S, left);
  if (limit < 20) res.error = `treelite: skipped, the ${quick ? "--quick" : "full"} run's time budget (${RUN_BUDGET_S} s) is used up`;
  else {
    const g = python("treelite", dir, file, limit);
    if (!g.ok)
      res.error = `treelite: ${g.error}${/^timed out/.test(g.error) ? (limit < TREELITE_LIMIT_S ? ` (what was left of the run's ${RUN_BUDGET_S} s budget)` : " (the run's limit per treelite build)") : ""}`;
    else {
      const { outputs, seconds, ...t } = g.json;
      Object.assign(
        res,
        t,
        {
          genSeconds: seconds,
          genPeakMB: g.peakMB,
          genMethod: "treelite import + tl2cgen.export_lib with gcc -O3 (1 unit per 20 trees, 2 threads)",
          gzipBytes: gz(file),
        },
        compare(outputs, expected, width),
      );
    }
  }
  entry.tools.push(res);
  log(`${name}: treelite ${res.error ?? `ok, ${res.rowsDiffering} rows differ`}`);
}

// ns per visited node in batch, for every tool on tree models
for (const e of results) for (const t of e.tools) if (nsPerNode(e, t) !== undefined) t.nsPerNode = +nsPerNode(e, t).toFixed(3);

// ---------------------------------------------------------------- versions, machine, report
const pyv = spawnSync(
  PY,
  [
    "-c",
    "import importlib.metadata as m, platform, json; print(json.dumps({'python': platform.python_version(), **{p: m.version(p) for p in ['xgboost-cpu','lightgbm','scikit-learn','numpy','m2cgen','onnxmltools','skl2onnx','onnx','treelite','tl2cgen']}}))",
  ],
  { encoding: "utf8" },
);
const modelcVersion = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const gitRev =
  spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim() +
  (spawnSync("git", ["status", "--porcelain", "src", "emitters", "bin", "scripts"], { cwd: root, encoding: "utf8" }).stdout.trim()
    ? " + uncommitted changes"
    : "");
const report = {
  date: new Date().toISOString(),
  command: `node bench/run.mjs${quick ? " --quick" : ""}`,
  quick,
  seconds: Math.round((performance.now() - started) / 1000),
  budgetSeconds: RUN_BUDGET_S,
  machine: { cpu: cpus()[0]?.model, cores: availableParallelism(), memGB: Math.round(totalmem() / 2 ** 30), loadavgAtEnd: loadavg().map((x) => +x.toFixed(2)) },
  versions: {
    node: process.version,
    modelc: `${modelcVersion} (${gitRev})`,
    onnxruntimeNode: ORT_VERSION,
    esbuild: (await import("esbuild")).version,
    ...(pyv.status === 0 ? JSON.parse(pyv.stdout) : {}),
  },
  tile: TILE,
  ...(results.some((e) => e.library.startsWith("lightgbm"))
    ? {}
    : { notes: ["lleaves not run: it compiles LightGBM models only, and this run has none (the --quick set is XGBoost and scikit-learn)"] }),
  results,
};
if (LL) {
  const lv = spawnSync(LL, ["-c", "import importlib.metadata as m; print(m.version('lleaves'), m.version('llvmlite'))"], { encoding: "utf8" });
  if (lv.status === 0) [report.versions.lleaves, report.versions.llvmlite] = lv.stdout.trim().split(" ");
}
report.goals = goals(report);
const resultsFile = join(root, "bench", "out", quick ? "results-quick.json" : "results.json");
mkdirSync(join(root, "bench", "out"), { recursive: true });
writeFileSync(resultsFile, JSON.stringify(report, null, 1) + "\n");
const md = writeReport(
  report,
  docs
    ? { md: join(root, "docs", "benchmarks.md"), svgDir: join(root, "docs", "bench"), svgRel: "bench" }
    : { md: join(root, "bench", "out", quick ? "benchmarks-quick.md" : "benchmarks.md"), svgDir: join(root, "bench", "out", "svg"), svgRel: "svg" },
);
log(`results: ${resultsFile}; report: ${md}`);

// console summary, and the correctness line CI checks
let bad = 0;
for (const e of results) {
  console.log(`\n${e.model}: ${e.desc}`);
  for (const t of e.tools) {
    if (t.error) console.log(`  ${t.label.padEnd(28)} FAILED: ${t.error}`);
    else
      console.log(
        `  ${t.label.padEnd(28)} 1-row ${String(t.singleMedianUs ?? "-").padStart(8)} µs  batch@${TILE} ${String(t.batchRowsPerSec?.[TILE] ?? "-").padStart(9)} rows/s${t.nsPerNode !== undefined ? ` (${t.nsPerNode.toFixed(2)} ns/node)` : ""}  gz ${String(t.gzipBytes ?? "-").padStart(9)} B  gen ${String(t.genSeconds ?? "-").padStart(6)} s  differ ${t.rowsDiffering}/${t.rowsCompared} (max ${t.maxAbsDiff})`,
      );
    // modelc's parity rule (README): trees bit for bit; linear models through BLAS within 4 ulps or the dot
    // product's rounding-error bound (near-zero probabilities are many ulps apart): here |diff| <= 1e-12
    const within = e.linear ? t.maxAbsDiff <= 1e-12 : t.maxUlps === 0;
    if (t.tool.startsWith("modelc") && (t.error || t.correctnessError || !within)) bad++;
  }
}
console.log("\ngoals (issue #18; ratios within this run):");
for (const l of goalsText(report.goals)) console.log(l);
for (const n of report.notes ?? []) console.log(`note: ${n}`);
console.log(
  `\nbench: ${results.length} models, modelc targets failing or outside the parity rule (trees bit for bit, linear |diff| <= 1e-12): ${bad}; ${report.seconds} s`,
);
process.exitCode = bad ? 1 : 0;
