// Single-row latency of a table model (issue 16): ColumnTransformer(OneHotEncoder on 5 categorical columns,
// StandardScaler on 10 numeric ones) -> HistGradientBoostingClassifier, fixture fixtures/sk19-tab-ohe-hgb, as modelc
// compiles it (ifelse and table styles, rows as objects by column name and as arrays in column order with strings;
// the wasm target when assemblyscript is installed) against onnxruntime-node on the same pipeline converted by skl2onnx
// (python/bench/tab_onnx.py), in one run, interleaved.
//
//   node bench/tab-latency.mjs [--rounds 301] [--slot-ms 2] [--warm-ms 1000] [--warm-calls 50000] [--ort-dir .cache/bench-npm]
//                              [--wasm-style ifelse] [--no-wasm] [--only REGEX] [--out bench/out/tab-latency.json]
//
// Builds what it needs: modelc (scripts/build.mjs), bench/out/tab-ohe-hgb.onnx when missing (tab_onnx.py `fit` in the
// sk-new venv, `convert` in the bench venv), onnxruntime-node (bench/ortNode.mjs, the install bench/run.mjs makes;
// --ort-dir reuses one made elsewhere), the modelc modules under bench/out/tab/.
//
// Checks first: modelc's predictProba on every fixture row, through each module and both row forms, equals
// expected.json (scikit-learn 1.9.1) bit for bit; onnxruntime's probabilities within 1e-6 (float32 inside the ONNX
// graph) on the rows without a missing category (ONNX string tensors have no None/NaN).
//
// Timing: every variant runs in a Node process of its own (its module sees only its row form, as in an application;
// measured in one process, the JS ifelse variants swung 2-3x from run to run), started and warmed up by this one, which
// then asks them in turn over IPC to time a slot (only one runs at a time). Every variant predicts the same rows (the
// fixture rows without a missing category, cycled), one call per row, the predicted probability consumed. A round runs
// each variant for about --slot-ms (short slots: fewer preemptions inside one on a loaded machine), the order rotated per round;
// per variant: median over rounds of wall ns/row (and of process CPU ns/row); the ratio to modelc ifelse-object is the
// median of the per-round ratios. onnxruntime: one awaited session.run per row with 15 [1,1] tensors (string, int64,
// float32 as the converted model declares), built from the row object inside the timed call; also with the tensors
// prebuilt (run alone). 1 intra-op and 1 inter-op thread, sequential, all graph optimizations (as bench/run.mjs).

import { fork, spawnSync } from "node:child_process";
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
const WARM_MS = Number(opt("--warm-ms", "1000"));
const WARM_CALLS = Number(opt("--warm-calls", "50000"));
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

// ---------------------------------------------------------------- data (parent and children)
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
const timedArrays = onnxRows.map((i) => allArrays[i]);
const timedObjects = onnxRows.map((i) => allObjects[i]);
const ORT_OUT = "probabilities";

/** An onnxruntime session (1 thread, as bench/run.mjs) and feeds(rowObject): one [1,1] tensor per declared input. */
async function ortSession(ort) {
  const session = await ort.InferenceSession.create(ONNX, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  if (!session.outputNames.includes(ORT_OUT)) throw new Error(`the ONNX model has no output ${ORT_OUT} (${session.outputNames})`);
  const types = session.inputMetadata.map((m) => m.type);
  const src = session.inputNames.map((name, k) => {
    if (!cols.includes(name)) throw new Error(`ONNX input ${name} is not a column of the fixture`);
    const v = `r[${JSON.stringify(name)}]`;
    const t = {
      string: `new T("string", [${v}], D)`,
      int64: `new T("int64", BigInt64Array.of(BigInt(${v})), D)`,
      float32: `new T("float32", Float32Array.of(${v}), D)`,
      float64: `new T("float64", Float64Array.of(${v}), D)`,
    }[types[k]];
    if (!t) throw new Error(`ONNX input ${name} has type ${types[k]}`);
    return `${JSON.stringify(name)}: ${t}`;
  });
  // one object literal per call, as a hand-written caller would build it
  const feeds = new Function("T", `const D = [1, 1]; return function feeds(r) { return { ${src.join(", ")} }; };`)(ort.Tensor);
  return { session, feeds };
}

const moduleUrl = (m) => pathToFileURL(m.loader ?? m.file).href;

if (args[0] === "--child") await child(JSON.parse(args[1]));
else await parent();

// ---------------------------------------------------------------- child: one variant, timed on request
/**
 * One variant in a process of its own: its module sees only its row form (as in an application), and no other
 * variant's code or garbage shares its heap. Messages: {warm: ms} -> {n} (calls per slot), {n} -> {wall, cpu} (ns/row).
 */
async function child(spec) {
  let run;
  if (spec.kind === "modelc") {
    const f = (await import(spec.url)).predictProba;
    const rows = spec.form === "objects" ? timedObjects : timedArrays;
    run = (n) => {
      let s = 0;
      for (let i = 0, j = 0; i < n; i++) {
        s += f(rows[j])[1];
        if (++j === rows.length) j = 0;
      }
      return s;
    };
  } else {
    const { ort, error } = ensureOnnxruntimeNode({ root, dir: spec.ortDir });
    if (error) throw new Error(error);
    const { session, feeds } = await ortSession(ort);
    const names = [ORT_OUT];
    const make = spec.form === "prebuilt" ? (x) => x : feeds;
    const rows = spec.form === "prebuilt" ? timedObjects.map(feeds) : timedObjects;
    run = async (n) => {
      let s = 0;
      for (let i = 0, j = 0; i < n; i++) {
        const r = await session.run(make(rows[j]), names);
        s += r[ORT_OUT].data[1];
        if (++j === rows.length) j = 0;
      }
      return s;
    };
  }
  let sink = 0;
  const slot = async (n) => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    sink += await run(n);
    const wall = Number(process.hrtime.bigint() - t0);
    const c = process.cpuUsage(c0);
    return { wall: wall / n, cpu: ((c.user + c.system) * 1000) / n };
  };
  process.on("message", async (msg) => {
    if (msg.warm !== undefined) {
      // warm-up counted in calls and CPU time, not wall time: on a loaded machine a few hundred wall ms can pass
      // before the optimizing compiler (a background thread) has run, and a slot size calibrated on unoptimized
      // code would be tiny; then calibrate on the best of 5 slots of ~5 ms
      let n = 64;
      let calls = 0;
      const c0 = process.cpuUsage();
      const cpuMs = () => {
        const c = process.cpuUsage(c0);
        return (c.user + c.system) / 1000;
      };
      while (calls < msg.calls || cpuMs() < msg.warm) {
        const per = (await slot(n)).wall;
        calls += n;
        if (per * n < 5e6) n *= 2;
      }
      let per = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 5; k++) per = Math.min(per, (await slot(n)).cpu);
      process.send({ n: Math.max(timedArrays.length, Math.round((msg.slotMs * 1e6) / per)), warmCalls: calls });
    } else if (msg.n !== undefined) process.send(await slot(msg.n));
    else if (msg.done) {
      process.send({ sink });
      process.disconnect();
    }
  });
  process.send({ ready: true });
}

// ---------------------------------------------------------------- parent
async function parent() {
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

  // ---------------------------------------------------------------- checks (in this process)
  const mods = {};
  for (const [k, m] of Object.entries(modules)) mods[k] = await import(moduleUrl(m));
  let session;
  let ortFeeds;
  let ortError = ortInfo.error;
  if (!ortError) {
    try {
      ({ session, feeds: ortFeeds } = await ortSession(ortInfo.ort));
    } catch (e) {
      ortError = `onnxruntime session: ${e.message}`;
    }
  }
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

  // ---------------------------------------------------------------- timing: one child per variant, interleaved
  const specs = [];
  for (const [k, label] of [
    ["ifelse", "modelc ifelse"],
    ["table", "modelc table"],
    ["wasm", `modelc wasm (${WASM_STYLE})`],
  ]) {
    if (!modules[k]) continue;
    specs.push({ name: `${label}, object rows`, kind: "modelc", url: moduleUrl(modules[k]), form: "objects" });
    specs.push({ name: `${label}, array rows`, kind: "modelc", url: moduleUrl(modules[k]), form: "arrays" });
  }
  if (session) {
    specs.push({ name: "onnxruntime-node, tensors built per call", kind: "ort", form: "feeds", ortDir: ortInfo.dir });
    specs.push({ name: "onnxruntime-node, prebuilt tensors (run only)", kind: "ort", form: "prebuilt", ortDir: ortInfo.dir });
  }
  // --only REGEX: time only the variants whose name matches (the first one timed is the ratios' base)
  const only = opt("--only") && new RegExp(opt("--only"), "i");
  const variants = specs.filter((v) => !only || only.test(v.name));

  /** A child and a request/response helper over its IPC channel. */
  function spawnChild(spec) {
    const cp = fork(import.meta.filename, ["--child", JSON.stringify(spec)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let waiting;
    cp.on("message", (m) => waiting?.(m));
    cp.on("exit", (code) => {
      if (code) waiting?.({ error: `child ${spec.name} exited with ${code}` });
    });
    const next = () =>
      new Promise((res, rej) => {
        waiting = (m) => {
          waiting = undefined;
          m.error ? rej(new Error(m.error)) : res(m);
        };
      });
    const ask = (msg) => {
      const p = next();
      cp.send(msg);
      return p;
    };
    return { cp, ready: next(), ask };
  }
  log(`${variants.length} variants, one process each; warm-up >= ${WARM_CALLS} calls and >= ${WARM_MS} CPU ms each, calibration`);
  for (const v of variants) {
    v.child = spawnChild(v);
    await v.child.ready;
    v.n = (await v.child.ask({ warm: WARM_MS, calls: WARM_CALLS, slotMs: SLOT_MS })).n;
    v.rounds = [];
  }
  log(`${ROUNDS} rounds × ${variants.length} variants × ~${SLOT_MS} ms, order rotated per round; load ${loadavg()}`);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + r) % variants.length];
      v.rounds.push(await v.child.ask({ n: v.n }));
    }
  }
  let sink = 0;
  for (const v of variants) sink += (await v.child.ask({ done: true })).sink;
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
      wallNsPerRound: wall.map((x) => Math.round(x)),
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
}
