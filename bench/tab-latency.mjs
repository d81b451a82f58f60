// Single-row latency of a table model (issue 16): ColumnTransformer(OneHotEncoder on 5 categorical columns,
// StandardScaler on 10 numeric ones) -> HistGradientBoostingClassifier, fixture fixtures/sk19-tab-ohe-hgb, as modelc
// compiles it (ifelse and table styles, rows as objects by column name and as arrays in column order with strings;
// the wasm target when assemblyscript is installed) against onnxruntime-node on the same pipeline converted by skl2onnx
// (python/bench/tab_onnx.py), in one process, interleaved.
//
//   node bench/tab-latency.mjs [--rounds 301] [--slot-ms 2] [--warm-ms 400] [--ort-dir .cache/bench-npm]
//                              [--wasm-style ifelse] [--no-wasm] [--out bench/out/tab-latency.json]
//
// Builds what it needs: modelc (scripts/build.mjs), bench/out/tab-ohe-hgb.onnx when missing (tab_onnx.py `fit` in the
// sk-new venv, `convert` in the bench venv), onnxruntime-node (bench/ortNode.mjs, the install bench/run.mjs makes;
// --ort-dir reuses one made elsewhere), the modelc modules under bench/out/tab/.
//
// Checks first: modelc's predictProba on every fixture row, through each module and both row forms, equals
// expected.json (scikit-learn 1.9.1) bit for bit; onnxruntime's probabilities within 1e-6 (float32 inside the ONNX
// graph) on the rows without a missing category (ONNX string tensors have no None/NaN).
//
// Timing: every variant predicts the same rows (the fixture rows without a missing category, cycled), one call per row,
// the predicted probability consumed. A round runs each variant for about --slot-ms, the order rotated per round;
// per variant: median over rounds of wall ns/row (and of process CPU ns/row); the ratio to modelc ifelse-object is the
// median of the per-round ratios. onnxruntime: one awaited session.run per row with 15 [1,1] tensors (string, int64,
// float32 as the converted model declares), built from the row object inside the timed call; also with the tensors
// prebuilt (run alone). 1 intra-op and 1 inter-op thread, sequential, all graph optimizations (as bench/run.mjs).

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureOnnxruntimeNode } from "./ortNode.mjs";

const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const root = resolve(import.meta.dirname, "..");
const FIX = join(root, "fixtures", "sk19-tab-ohe-hgb");
const OUT = join(root, "bench", "out");
const WORK = join(OUT, "tab");
const ONNX = join(OUT, "tab-ohe-hgb.onnx");
const ROUNDS = Number(opt("--rounds", "301"));
const SLOT_MS = Number(opt("--slot-ms", "2"));
const WARM_MS = Number(opt("--warm-ms", "400"));
const WASM_STYLE = opt("--wasm-style", "ifelse");
const JSON_OUT = resolve(opt("--out", join(OUT, "tab-latency.json")));
const started = performance.now();
const log = (s) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${s}\n`);
const loadavg = () => readFileSync("/proc/loadavg", "utf8").trim();
mkdirSync(WORK, { recursive: true });

const run = (cmd, argv, what) => {
  const r = spawnSync(cmd, argv, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0)
    throw new Error(
      `${what} failed (exit ${r.status}): ${String(r.stderr || r.stdout)
        .trim()
        .split("\n")
        .slice(-3)
        .join(" | ")}`,
    );
  return r.stdout;
};
const venv = (name) => run("bash", [join(root, "python", "venv.sh"), name], `python/venv.sh ${name}`).trim();

// ---------------------------------------------------------------- build
const load0 = loadavg();
log("building modelc (scripts/build.mjs)");
run(process.execPath, [join(root, "scripts", "build.mjs")], "scripts/build.mjs");

let onnxConvert;
if (!existsSync(ONNX)) {
  log("fitting the pipeline (python/bench/tab_onnx.py fit, sk-new venv)");
  run(venv("sk-new"), [join(root, "python", "bench", "tab_onnx.py"), "fit", "--out", OUT], "tab_onnx.py fit");
  log("converting with skl2onnx (python/bench/tab_onnx.py convert, bench venv)");
  const o = run(venv("bench"), [join(root, "python", "bench", "tab_onnx.py"), "convert", "--out", OUT], "tab_onnx.py convert");
  onnxConvert = JSON.parse(o.trim().split("\n").pop());
  log(`  ${onnxConvert.converter}; onnx.reference check: ${JSON.stringify(onnxConvert.check)}`);
} else log(`using ${ONNX} (delete it to re-convert)`);

log("onnxruntime-node");
const ortInfo = ensureOnnxruntimeNode({ root, dir: opt("--ort-dir"), log });
if (ortInfo.error) log(`  ${ortInfo.error}`);

const compileTo = (file, style) => {
  const t = performance.now();
  run(process.execPath, [join(root, "bin", "modelc.js"), "compile", join(FIX, "model.json"), "-o", file, "--style", style], `modelc compile ${file}`);
  return { file, style, compileSeconds: (performance.now() - t) / 1000, bytes: statSync(file).size };
};
const modules = {};
for (const style of ["ifelse", "table"]) {
  log(`modelc compile --style ${style}`);
  modules[style] = compileTo(join(WORK, `tab-ohe-hgb.${style}.mjs`), style);
}
let wasmError;
if (args.includes("--no-wasm")) wasmError = "--no-wasm";
else {
  try {
    // resolved as modelc resolves it (an ESM-only package: import conditions)
    import.meta.resolve("assemblyscript/asc");
  } catch {
    wasmError = "assemblyscript is not installed (optional peer dependency)";
  }
  if (!wasmError) {
    log(`modelc compile --style ${WASM_STYLE} -o .wasm`);
    try {
      const w = join(WORK, `tab-ohe-hgb.${WASM_STYLE}.wasm`);
      modules.wasm = { ...compileTo(w, WASM_STYLE), loader: w.replace(/\.wasm$/, ".js") };
    } catch (e) {
      wasmError = e.message;
    }
  }
  if (wasmError) log(`  wasm skipped: ${wasmError}`);
}

// ---------------------------------------------------------------- data
/** JSON with NaN / Infinity / -Infinity tokens (the fixtures' rows and outputs). */
function parseTolerant(text) {
  const re = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;
  return JSON.parse(
    text.replace(re, (m) => (m[0] === '"' ? m : `"\\u0000${m}"`)),
    (_k, v) => (typeof v === "string" && v[0] === "\u0000" ? Number(v.slice(1)) : v),
  );
}
const data = parseTolerant(readFileSync(join(FIX, "rows.json"), "utf8"));
const expected = parseTolerant(readFileSync(join(FIX, "expected.json"), "utf8")).predict_proba;
const rowKinds = parseTolerant(readFileSync(join(FIX, "meta.json"), "utf8")).row_kinds;
const cols = data.columns;
const catIdx = cols.map((_c, j) => j).filter((j) => data.dtypes[j] === "object" || data.dtypes[j] === "str");
const allArrays = data.rows;
const allObjects = allArrays.map((r) => Object.fromEntries(cols.map((c, j) => [c, r[j]])));
// rows an ONNX string tensor can carry: every categorical string column holds a string
const onnxRows = allArrays.map((_r, i) => i).filter((i) => catIdx.every((j) => typeof allArrays[i][j] === "string"));
const missingCat = allArrays.length - onnxRows.length;

// ---------------------------------------------------------------- modules
const mods = {};
for (const [k, m] of Object.entries(modules)) mods[k] = await import(pathToFileURL(m.loader ?? m.file).href);

let session;
let ortError = ortInfo.error;
let ortFeeds;
const ORT_OUT = "probabilities";
if (!ortError) {
  try {
    session = await ortInfo.ort.InferenceSession.create(ONNX, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    });
    if (!session.outputNames.includes(ORT_OUT)) throw new Error(`the ONNX model has no output ${ORT_OUT} (${session.outputNames})`);
    const Tensor = ortInfo.ort.Tensor;
    const types = session.inputMetadata.map((m) => m.type);
    const inputs = session.inputNames.map((n, k) => {
      const j = cols.indexOf(n);
      if (j < 0) throw new Error(`ONNX input ${n} is not a column of the fixture`);
      return { name: n, col: n, type: types[k] };
    });
    const src = inputs.map(({ name, col, type }) => {
      const v = `r[${JSON.stringify(col)}]`;
      const t =
        type === "string"
          ? `new T("string", [${v}], D)`
          : type === "int64"
            ? `new T("int64", BigInt64Array.of(BigInt(${v})), D)`
            : type === "float32"
              ? `new T("float32", Float32Array.of(${v}), D)`
              : type === "float64"
                ? `new T("float64", Float64Array.of(${v}), D)`
                : null;
      if (!t) throw new Error(`ONNX input ${name} has type ${type}`);
      return `${JSON.stringify(name)}: ${t}`;
    });
    // one object literal per call, as a hand-written caller would build it
    ortFeeds = new Function("T", `const D = [1, 1]; return function feeds(r) { return { ${src.join(", ")} }; };`)(Tensor);
  } catch (e) {
    ortError = `onnxruntime session: ${e.message}`;
  }
}

// ---------------------------------------------------------------- correctness
const checks = { modelc: {}, onnxruntime: undefined };
let modelcOk = true;
for (const [k, mod] of Object.entries(mods)) {
  for (const [form, rows] of [
    ["arrays", allArrays],
    ["objects", allObjects],
  ]) {
    const bad = [];
    for (let i = 0; i < rows.length; i++) {
      const p = Array.from(mod.predictProba(rows[i]));
      if (p.length !== expected[i].length || p.some((v, c) => !Object.is(v, expected[i][c])))
        bad.push({ row: i, kind: rowKinds[i], got: p, expected: expected[i] });
    }
    checks.modelc[`${k} ${form}`] = { rows: rows.length, bitIdentical: rows.length - bad.length, differing: bad.slice(0, 5) };
    if (bad.length) modelcOk = false;
  }
}
console.log(
  `\nfixture ${FIX.slice(root.length + 1)}: ${allArrays.length} rows (${rowKinds.filter((k) => k === "ordinary").length} ordinary, the rest special), ${cols.length} columns`,
);
console.log("check 1: modelc predictProba == expected.json (scikit-learn 1.9.1), bit for bit (Object.is), every row:");
for (const [k, c] of Object.entries(checks.modelc))
  console.log(
    `  ${k.padEnd(16)} ${c.bitIdentical}/${c.rows} rows${c.differing.length ? ` FAIL e.g. row ${c.differing[0].row} (${c.differing[0].kind}): ${c.differing[0].got} vs ${c.differing[0].expected}` : ""}`,
  );
if (session) {
  const diffs = [];
  for (const i of onnxRows) {
    const r = await session.run(ortFeeds(allObjects[i]), [ORT_OUT]);
    const p = Array.from(r[ORT_OUT].data);
    diffs.push({ row: i, kind: rowKinds[i], diff: Math.max(...p.map((v, c) => Math.abs(v - expected[i][c]))), got: p });
  }
  const ord = diffs.filter((d) => d.kind === "ordinary");
  const over = diffs.filter((d) => !(d.diff <= 1e-6));
  checks.onnxruntime = {
    rows: diffs.length,
    ordinaryRows: ord.length,
    maxAbsDiffOrdinary: Math.max(...ord.map((d) => d.diff)),
    maxAbsDiffAll: Math.max(...diffs.map((d) => d.diff)),
    within1e6: diffs.length - over.length,
    over1e6: over.map(({ row, kind, diff }) => ({ row, kind, diff })),
  };
  const o = checks.onnxruntime;
  console.log(`check 2: onnxruntime-node probabilities vs expected.json, |diff| <= 1e-6, on the ${o.rows} rows without a missing category`);
  console.log(`  (${missingCat} rows with None/NaN in a category column left out: ONNX string tensors cannot hold them)`);
  console.log(
    `  ordinary rows: ${ord.length - ord.filter((d) => !(d.diff <= 1e-6)).length}/${ord.length} within 1e-6, max |diff| ${o.maxAbsDiffOrdinary.toExponential(2)}`,
  );
  console.log(`  all ${o.rows} rows: ${o.within1e6}/${o.rows} within 1e-6, max |diff| ${o.maxAbsDiffAll.toExponential(2)}`);
  for (const d of o.over1e6) console.log(`    row ${d.row} (${d.kind}): |diff| ${d.diff.toExponential(2)}`);
  if (o.over1e6.length) console.log("    (rows a hair right of a split: the ONNX graph scales and compares in float32, which puts them on the other side)");
} else console.log(`check 2: onnxruntime-node skipped: ${ortError}`);
if (!modelcOk) {
  console.error("modelc's outputs differ from scikit-learn's: not timing them");
  process.exit(1);
}

// ---------------------------------------------------------------- timing
const timedArrays = onnxRows.map((i) => allArrays[i]);
const timedObjects = onnxRows.map((i) => allObjects[i]);
/** A loop of its own (own feedback, own optimized code) per variant: `new Function` compiles a separate function. */
const syncLoop = (label) =>
  new Function(
    "f",
    "rows",
    "n",
    `"use strict"; // ${label.replace(/[^\w -]/g, "")}
    let s = 0;
    const R = rows.length;
    for (let i = 0, j = 0; i < n; i++) {
      s += f(rows[j])[1];
      if (++j === R) j = 0;
    }
    return s;`,
  );
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
const asyncLoop = (label) =>
  new AsyncFunction(
    "session",
    "make",
    "rows",
    "n",
    "out",
    `"use strict"; // ${label.replace(/[^\w -]/g, "")}
    let s = 0;
    const R = rows.length;
    const names = [out];
    for (let i = 0, j = 0; i < n; i++) {
      const r = await session.run(make(rows[j]), names);
      s += r[out].data[1];
      if (++j === R) j = 0;
    }
    return s;`,
  );

const variants = [];
const addSync = (name, f, rows) => {
  const loop = syncLoop(name);
  variants.push({ name, run: (n) => loop(f, rows, n) });
};
addSync("modelc ifelse, object rows", mods.ifelse.predictProba, timedObjects);
addSync("modelc ifelse, array rows", mods.ifelse.predictProba, timedArrays);
addSync("modelc table, object rows", mods.table.predictProba, timedObjects);
addSync("modelc table, array rows", mods.table.predictProba, timedArrays);
if (mods.wasm) {
  addSync(`modelc wasm (${WASM_STYLE}), object rows`, mods.wasm.predictProba, timedObjects);
  addSync(`modelc wasm (${WASM_STYLE}), array rows`, mods.wasm.predictProba, timedArrays);
}
if (session) {
  const l1 = asyncLoop("ort feeds per call");
  variants.push({ name: "onnxruntime-node, tensors built per call", run: (n) => l1(session, ortFeeds, timedObjects, n, ORT_OUT) });
  const prebuilt = timedObjects.map((r) => ortFeeds(r));
  const l2 = asyncLoop("ort prebuilt feeds");
  variants.push({ name: "onnxruntime-node, prebuilt tensors (run only)", run: (n) => l2(session, (x) => x, prebuilt, n, ORT_OUT) });
}

let sink = 0;
const hr = () => process.hrtime.bigint();
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
async function slot(v, n) {
  const c0 = cpuUs();
  const t0 = hr();
  sink += await v.run(n);
  const wall = Number(hr() - t0);
  const cpu = (cpuUs() - c0) * 1000;
  return { wall: wall / n, cpu: cpu / n };
}

log(`warm-up (${WARM_MS} ms per variant) and calibration`);
for (const v of variants) {
  let n = 64;
  let per = 0;
  const t = performance.now();
  while (performance.now() - t < WARM_MS) {
    const s = await slot(v, n);
    per = s.wall;
    if (s.wall * n < 5e6) n *= 2;
  }
  v.n = Math.max(timedArrays.length, Math.round((SLOT_MS * 1e6) / per));
}
log(`${ROUNDS} rounds × ${variants.length} variants × ~${SLOT_MS} ms, order rotated per round; load ${loadavg()}`);
for (const v of variants) v.rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(k + r) % variants.length];
    v.rounds.push(await slot(v, v.n));
  }
}
const load1 = loadavg();
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const q = (a, p) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))];
const base = variants[0];
const results = variants.map((v) => {
  const wall = v.rounds.map((s) => s.wall);
  return {
    name: v.name,
    callsPerSlot: v.n,
    nsPerRow: median(wall),
    nsPerRowP25: q(wall, 0.25),
    nsPerRowP75: q(wall, 0.75),
    cpuNsPerRow: median(v.rounds.map((s) => s.cpu)),
    ratioToIfelseObject: median(v.rounds.map((s, r) => s.wall / base.rounds[r].wall)),
    cpuRatioToIfelseObject: median(v.rounds.map((s, r) => s.cpu / base.rounds[r].cpu)),
  };
});

console.log(`\nsingle-row predictProba, ${timedArrays.length} rows cycled (the fixture rows without a missing category, the same rows for every variant);`);
console.log(`median of ${ROUNDS} interleaved rounds of ~${SLOT_MS} ms per variant; ratio = median over rounds of (variant / modelc ifelse-object);`);
console.log("wall = elapsed time (includes waiting for a CPU on a loaded machine), CPU = the process's user+system time, all threads\n");
console.log("| variant | wall ns/row | wall p25–p75 | ratio (wall) | CPU ns/row | ratio (CPU) |");
console.log("|---|---:|---:|---:|---:|---:|");
const f0 = (x) => x.toFixed(0);
const f2 = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2));
for (const r of results)
  console.log(
    `| ${r.name} | ${f0(r.nsPerRow)} | ${f0(r.nsPerRowP25)}–${f0(r.nsPerRowP75)} | ${f2(r.ratioToIfelseObject)} | ${f0(r.cpuNsPerRow)} | ${f2(r.cpuRatioToIfelseObject)} |`,
  );
console.log(`\nload average before: ${load0}; after: ${load1}; ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), Node ${process.version}`);
if (wasmError) console.log(`wasm: ${wasmError}`);
if (ortError) console.log(`onnxruntime-node: ${ortError}`);

const report = {
  date: new Date().toISOString(),
  command: `node ${process.argv
    .slice(1)
    .map((a) => (a.startsWith(root) ? a.slice(root.length + 1) : a))
    .join(" ")}`,
  fixture: "fixtures/sk19-tab-ohe-hgb",
  node: process.version,
  onnxruntimeNode: ortInfo.version,
  onnxConvert,
  cpus: cpus().length,
  loadavgBefore: load0,
  loadavgAfter: load1,
  rounds: ROUNDS,
  slotMs: SLOT_MS,
  timedRows: onnxRows,
  rowsLeftOutMissingCategory: missingCat,
  modules: Object.fromEntries(
    Object.entries(modules).map(([k, m]) => [k, { ...m, file: m.file.slice(root.length + 1), loader: m.loader?.slice(root.length + 1) }]),
  ),
  wasmError,
  ortError,
  checks,
  results,
  sink,
};
writeFileSync(JSON_OUT, `${JSON.stringify(report, null, 1)}\n`);
log(`wrote ${JSON_OUT}`);
