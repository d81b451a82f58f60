// Benchmark of `modelc bundle` on many large models (made by bench/bundle-models.mjs, not committed):
// full build on all cores and with one worker, alternated (--reps pairs, so load from other users of
// the machine hits both alike) for the speed-up ratio; wall and CPU time, peak RSS of the process
// (workers included: they are threads); peak RSS of a build of a third of the models (memory follows
// the number of workers, not of models); no-op rebuild; rebuild after one model changed; chunk sizes
// raw and gzipped against each model's JSON; the time from loadModel to the first prediction in a
// fresh process. Builds go to a private folder (removed at the end; the models folder is only read:
// the changed model is a private copy). Writes bench/out/bundle.json (bundle-wasm.json for wasm).
//
//   node bench/bundle.mjs [--models 12 --trees 1000 --depth 10 --features 50] [--dir .cache/bench-bundle] [--make]
//                         [--reps 2] [--target js|wasm]
//
// Targets (issue 6): full build < 60 s and < 2 GB peak; one-model rebuild < 5 s; chunk ≤ gzipped
// JSON; first prediction < 100 ms. Timings are noisy on shared machines.

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { writeModels } from "./bundle-models.mjs";

const args = process.argv.slice(2);
const num = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const shape = { models: num("--models", 12), trees: num("--trees", 1000), depth: num("--depth", 10), features: num("--features", 50) };
const reps = num("--reps", 2);
const target = args.includes("--target") ? args[args.indexOf("--target") + 1] : "js";
const root = resolve(import.meta.dirname, "..");
const dir = resolve(args.includes("--dir") ? args[args.indexOf("--dir") + 1] : join(root, ".cache", "bench-bundle"));
const models = join(dir, `models-${shape.models}x${shape.trees}x${shape.depth}x${shape.features}`);
const bin = join(root, "bin", "modelc.js");
const MB = 2 ** 20;

if (args.includes("--make") || !existsSync(models) || readdirSync(models).length !== shape.models) {
  rmSync(models, { recursive: true, force: true });
  const t = performance.now();
  writeModels(models, shape);
  process.stderr.write(`made ${shape.models} models in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}
spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });

// a private models folder: links to the shared models, and a copy of the one this run changes
const run = join(dir, `run-${process.pid}`);
const own = join(run, "models");
rmSync(run, { recursive: true, force: true });
mkdirSync(own, { recursive: true });
const files = readdirSync(models)
  .filter((f) => f.endsWith(".json"))
  .sort();
const victimName = files[Math.floor(files.length / 2)];
for (const f of files) (f === victimName ? copyFileSync : symlinkSync)(join(models, f), join(own, f));
process.on("exit", () => rmSync(run, { recursive: true, force: true }));

/** `modelc bundle` in a fresh process under GNU time: wall s, peak RSS MB, the --json report. */
function build(out, extra = [], inputs = [own]) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", process.execPath, bin, "bundle", ...inputs, "-o", out, "--json", "--target", target, ...extra], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`modelc bundle failed: ${r.stderr}`);
  const [secs, kb, user, sys] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  const report = JSON.parse(r.stdout);
  const busy = report.models.reduce((t, m) => t + (m.ms ?? 0), 0) / 1000;
  // per-thread CPU time (Linux): what each worker and the main thread computed, independent of the machine's load
  const perThread = {};
  for (const m of report.models) if (m.cpuMs != null) perThread[m.threadId] = (perThread[m.threadId] ?? 0) + m.cpuMs / 1000;
  const workerCpu = Object.values(perThread);
  const mainCpuSeconds = report.mainCpuMs == null ? null : report.mainCpuMs / 1000;
  return {
    seconds: secs,
    cpuSeconds: Math.round((user + sys) * 10) / 10,
    // CPU seconds per wall second: the cores this build got (see autogroup below)
    cores: Math.round(((user + sys) / secs) * 100) / 100,
    // Σ compile time in the workers / wall time: how many models compiled at once on average
    concurrency: Math.round((busy / secs) * 100) / 100,
    loadavg: loadavg().map((x) => Math.round(x * 10) / 10),
    peakRssMB: Math.round(kb / 1024),
    built: report.models.filter((m) => m.status === "built").length,
    jobs: report.jobs,
    maxWorkerHeapMB: Math.round(Math.max(0, ...report.models.map((m) => m.heapMB ?? 0))),
    workerCpuSeconds: workerCpu.map((x) => Math.round(x * 10) / 10),
    mainCpuSeconds: mainCpuSeconds == null ? null : Math.round(mainCpuSeconds * 100) / 100,
    // the longest thread's CPU time plus the main thread's: the wall time with a free core per thread
    cpuPathSeconds: workerCpu.length && mainCpuSeconds != null ? Math.round((Math.max(...workerCpu) + mainCpuSeconds) * 100) / 100 : null,
    report,
  };
}

const parOut = join(run, "out-parallel");
const seqOut = join(run, "out-sequential");

// full builds, all cores and one worker alternated; each from scratch
const pars = [];
const seqs = [];
for (let i = 0; i < reps; i++) {
  for (const [list, out, extra] of [
    [pars, parOut, []],
    [seqs, seqOut, ["--jobs", "1"]],
  ]) {
    rmSync(out, { recursive: true, force: true });
    const b = build(out, extra);
    list.push(b);
    process.stderr.write(
      `  full build ${extra.length ? "1 worker " : "all cores"}: ${b.seconds} s, CPU ${b.cpuSeconds} s, peak RSS ${b.peakRssMB} MB, load avg ${b.loadavg[0]}\n`,
    );
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianBuild = (bs) => bs.find((b) => b.seconds === median(bs.map((x) => x.seconds)));
const parallel = medianBuild(pars);
const sequential = medianBuild(seqs);
// peak memory with a third of the models, same workers: bounded by workers × one model, not by the model count
const fewOut = join(run, "out-few");
const few = build(
  fewOut,
  [],
  files.slice(0, Math.max(parallel.jobs, Math.ceil(files.length / 3))).map((f) => join(own, f)),
);
rmSync(fewOut, { recursive: true, force: true });
rmSync(seqOut, { recursive: true, force: true });
const noop = build(parOut);

// change one model (its base score, so its predictions and code change) and rebuild
const victim = join(own, victimName);
const text = readFileSync(victim, "utf8");
const bump = text.includes('"base_score":"[5E-1]"') ? "[2.5E-1]" : "[5E-1]";
writeFileSync(victim, text.replace(/"base_score":"\[[^\]]*\]"/, `"base_score":"${bump}"`));
const before = Object.fromEntries(readdirSync(parOut).map((f) => [f, statSync(join(parOut, f)).mtimeMs]));
const one = build(parOut);
const rewritten = readdirSync(parOut).filter((f) => before[f] !== statSync(join(parOut, f)).mtimeMs);

// sizes
const manifest = JSON.parse(readFileSync(join(parOut, "manifest.json"), "utf8"));
const sizes = manifest.models.map((e) => {
  const json = readFileSync(join(parOut, e.source));
  return {
    name: e.name,
    jsonMB: json.length / MB,
    jsonGzipMB: gzipSync(json).length / MB,
    chunkMB: (e.bytes + (e.wasm?.bytes ?? 0)) / MB,
    chunkGzipMB: (e.gzipBytes + (e.wasm?.gzipBytes ?? 0)) / MB,
    style: e.style,
  };
});

// loadModel → first prediction, each in a fresh process (index import + chunk import + one predict)
const probe = `
const c0 = process.cpuUsage();
const t0 = performance.now();
const { loadModel } = await import(${JSON.stringify(pathToFileURL(join(parOut, "index.js")).href)});
const m = await loadModel(process.argv[1]);
const t1 = performance.now();
const y = m.predict(new Float64Array(m.meta.nFeatures).fill(0.5));
const t2 = performance.now();
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ loadMs: t1 - t0, firstPredictMs: t2 - t1, totalMs: t2 - t0, cpuMs: (c.user + c.system) / 1000, y }));
`;
const first = manifest.models.slice(0, 4).map((e) => {
  const runs = [0, 1, 2].map(() => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", probe, e.name], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  });
  return {
    name: e.name,
    loadMs: median(runs.map((x) => x.loadMs)),
    firstPredictMs: median(runs.map((x) => x.firstPredictMs)),
    totalMs: median(runs.map((x) => x.totalMs)),
    cpuMs: median(runs.map((x) => x.cpuMs)),
    runsMs: runs.map((x) => Math.round(x.totalMs)),
  };
});

const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
// With the kernel's autogroup scheduling (Linux default for desktop-style sessions), CPU time is shared fairly between
// sessions, not threads: on a machine where other sessions keep the cores busy, one session gets about its share
// however many worker threads it runs, which caps the wall-clock speed-up below; `cores` per build shows what it got.
let autogroup = "unknown";
try {
  autogroup = readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() === "1" ? "on" : "off";
} catch {
  // not Linux
}
const result = {
  date: new Date().toISOString(),
  cores: availableParallelism(),
  autogroup,
  node: process.version,
  shape,
  target,
  totalJsonMB: round(
    sizes.reduce((s, x) => s + x.jsonMB, 0),
    1,
  ),
  fullBuild: {
    parallel: strip(parallel),
    sequential: strip(sequential),
    // median of the per-pair ratios (each pair run back to back)
    speedup: round(median(pars.map((p, i) => seqs[i].seconds / p.seconds))),
    // load-independent: ratio of the CPU critical paths (longest worker thread + main thread), median of the pairs
    cpuPathSpeedup: pars.every((p) => p.cpuPathSeconds) ? round(median(pars.map((p, i) => seqs[i].cpuPathSeconds / p.cpuPathSeconds))) : null,
    pairs: pars.map((p, i) => ({
      parallelSeconds: p.seconds,
      sequentialSeconds: seqs[i].seconds,
      ratio: round(seqs[i].seconds / p.seconds),
      cpuPathRatio: p.cpuPathSeconds ? round(seqs[i].cpuPathSeconds / p.cpuPathSeconds) : null,
      parallelPeakRssMB: p.peakRssMB,
      sequentialPeakRssMB: seqs[i].peakRssMB,
    })),
  },
  fewModels: { models: few.report.models.length, ...strip(few) },
  noopRebuild: strip(noop),
  oneModelRebuild: { ...strip(one), changed: files[Math.floor(files.length / 2)], filesRewritten: rewritten.sort() },
  sizes: sizes.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === "number" ? round(v) : v]))),
  chunkOverGzipJson: {
    max: round(Math.max(...sizes.map((s) => s.chunkMB / s.jsonGzipMB))),
    min: round(Math.min(...sizes.map((s) => s.chunkMB / s.jsonGzipMB))),
  },
  runtimeChunkKB: manifest.runtime ? round(manifest.runtime.bytes / 1024, 1) : 0,
  firstPrediction: first.map((f) => ({
    name: f.name,
    medianLoadMs: round(f.loadMs, 1),
    medianFirstPredictMs: round(f.firstPredictMs, 2),
    medianTotalMs: round(f.totalMs, 1),
    medianCpuMs: round(f.cpuMs, 1),
    runsMs: f.runsMs,
  })),
};
function strip(b) {
  const { report, ...rest } = b;
  return rest;
}
mkdirSync(join(root, "bench", "out"), { recursive: true });
writeFileSync(join(root, "bench", "out", target === "wasm" ? "bundle-wasm.json" : "bundle.json"), JSON.stringify(result, null, 2) + "\n");

const p = result.fullBuild;
console.log(
  `modelc bundle --target ${target}: ${shape.models} models × ${shape.trees} trees depth ${shape.depth} (${result.totalJsonMB} MB JSON), ${result.cores} cores, Node ${process.version}, autogroup ${autogroup}`,
);
console.log(
  `  full build, ${p.parallel.jobs} workers  ${p.parallel.seconds} s (CPU ${p.parallel.cpuSeconds} s = ${p.parallel.cores} cores, ${p.parallel.concurrency} models at once), peak RSS ${p.parallel.peakRssMB} MB (largest worker heap ${p.parallel.maxWorkerHeapMB} MB), load avg ${p.parallel.loadavg[0]}`,
);
console.log(
  `  full build, 1 worker   ${p.sequential.seconds} s (CPU ${p.sequential.cpuSeconds} s = ${p.sequential.cores} cores), peak RSS ${p.sequential.peakRssMB} MB, load avg ${p.sequential.loadavg[0]}`,
);
console.log(
  `  parallel speed-up      ×${p.speedup} wall (median of ${reps} back-to-back pairs: ${p.pairs.map((x) => `${x.sequentialSeconds}/${x.parallelSeconds} s = ×${x.ratio}`).join(", ")})`,
);
console.log(
  `  CPU critical path      ×${p.cpuPathSpeedup}: 1 worker ${p.sequential.cpuPathSeconds} s (thread ${p.sequential.workerCpuSeconds.join(" s")} s + main ${p.sequential.mainCpuSeconds} s), ${p.parallel.jobs} workers ${p.parallel.cpuPathSeconds} s (threads ${p.parallel.workerCpuSeconds.join(" s, ")} s + main ${p.parallel.mainCpuSeconds} s)`,
);
console.log(
  `  ${result.fewModels.models} models only      peak RSS ${result.fewModels.peakRssMB} MB on ${result.fewModels.jobs} workers (all ${shape.models}: ${p.parallel.peakRssMB} MB; JSON ${result.totalJsonMB} MB in all)`,
);
console.log(`  no-op rebuild          ${noop.seconds} s (CPU ${noop.cpuSeconds} s), ${noop.built} built`);
console.log(`  one model changed      ${one.seconds} s (CPU ${one.cpuSeconds} s), ${one.built} built, files rewritten: ${rewritten.join(", ")}`);
const s0 = sizes[0];
console.log(
  `  chunk size             ${round(s0.chunkMB)} MB raw, ${round(s0.chunkGzipMB)} MB gz; model JSON ${round(s0.jsonMB)} MB, ${round(s0.jsonGzipMB)} MB gz (chunk / gz JSON ${result.chunkOverGzipJson.min}–${result.chunkOverGzipJson.max})`,
);
console.log(`  runtime chunk          ${result.runtimeChunkKB} kB`);
console.log(
  `  loadModel → 1st pred.  median ${first.map((f) => round(f.totalMs, 1) + " ms").join(", ")} (fresh processes; import ${round(first[0].loadMs, 1)} ms + predict ${round(first[0].firstPredictMs, 2)} ms; CPU ${first.map((f) => round(f.cpuMs, 1) + " ms").join(", ")}; runs ${first.map((f) => f.runsMs.join("/")).join(", ")})`,
);
