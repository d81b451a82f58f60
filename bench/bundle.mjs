// Benchmark of `modelc bundle` on many large models (made by bench/bundle-models.mjs, not committed):
// full build on all cores and with one worker (wall time, peak RSS of the process, workers
// included: they are threads), no-op rebuild, rebuild after one model changed, chunk sizes raw and
// gzipped against each model's JSON, and the time from loadModel to the first prediction in a
// fresh process. Writes bench/out/bundle.json.
//
//   node bench/bundle.mjs [--models 12 --trees 1000 --depth 10 --features 50] [--dir .cache/bench-bundle] [--make]
//
// Targets (issue 6): full build < 60 s and < 2 GB peak; one-model rebuild < 5 s; chunk ≤ gzipped
// JSON; first prediction < 100 ms. Timings are noisy on shared machines.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { writeModels } from "./bundle-models.mjs";

const args = process.argv.slice(2);
const num = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const shape = { models: num("--models", 12), trees: num("--trees", 1000), depth: num("--depth", 10), features: num("--features", 50) };
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

/** `modelc bundle` in a fresh process under GNU time: wall s, peak RSS MB, the --json report. */
function build(out, extra = []) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", process.execPath, bin, "bundle", models, "-o", out, "--json", ...extra], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`modelc bundle failed: ${r.stderr}`);
  const [secs, kb, user, sys] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  const report = JSON.parse(r.stdout);
  const busy = report.models.reduce((t, m) => t + (m.ms ?? 0), 0) / 1000;
  return {
    seconds: secs,
    cpuSeconds: Math.round((user + sys) * 10) / 10,
    // Σ compile time in the workers / wall time: how many models compiled at once on average
    concurrency: Math.round((busy / secs) * 100) / 100,
    loadavg: loadavg().map((x) => Math.round(x * 10) / 10),
    peakRssMB: Math.round(kb / 1024),
    built: report.models.filter((m) => m.status === "built").length,
    jobs: report.jobs,
    maxWorkerHeapMB: Math.round(Math.max(0, ...report.models.map((m) => m.heapMB ?? 0))),
    report,
  };
}

const parOut = join(dir, "out-parallel");
const seqOut = join(dir, "out-sequential");
rmSync(parOut, { recursive: true, force: true });
rmSync(seqOut, { recursive: true, force: true });

const parallel = build(parOut);
const sequential = build(seqOut, ["--jobs", "1"]);
const noop = build(parOut);

// change one model (its base score, so its predictions and code change) and rebuild
const files = readdirSync(models).filter((f) => f.endsWith(".json")).sort();
const victim = join(models, files[Math.floor(files.length / 2)]);
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
  return { name: e.name, jsonMB: json.length / MB, jsonGzipMB: gzipSync(json).length / MB, chunkMB: e.bytes / MB, chunkGzipMB: e.gzipBytes / MB, style: e.style };
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
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const first = manifest.models.slice(0, 4).map((e) => {
  const runs = [0, 1, 2].map(() => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", probe, e.name], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  });
  return { name: e.name, loadMs: median(runs.map((x) => x.loadMs)), firstPredictMs: median(runs.map((x) => x.firstPredictMs)), totalMs: median(runs.map((x) => x.totalMs)), cpuMs: median(runs.map((x) => x.cpuMs)), runsMs: runs.map((x) => Math.round(x.totalMs)) };
});

const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const result = {
  date: new Date().toISOString(),
  cores: availableParallelism(),
  node: process.version,
  shape,
  totalJsonMB: round(sizes.reduce((s, x) => s + x.jsonMB, 0), 1),
  fullBuild: { parallel: strip(parallel), sequential: strip(sequential), speedup: round(sequential.seconds / parallel.seconds) },
  noopRebuild: strip(noop),
  oneModelRebuild: { ...strip(one), changed: files[Math.floor(files.length / 2)], filesRewritten: rewritten.sort() },
  sizes: sizes.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === "number" ? round(v) : v]))),
  chunkOverGzipJson: { max: round(Math.max(...sizes.map((s) => s.chunkMB / s.jsonGzipMB))), min: round(Math.min(...sizes.map((s) => s.chunkMB / s.jsonGzipMB))) },
  runtimeChunkKB: round(manifest.runtime.bytes / 1024, 1),
  firstPrediction: first.map((f) => ({ name: f.name, medianLoadMs: round(f.loadMs, 1), medianFirstPredictMs: round(f.firstPredictMs, 2), medianTotalMs: round(f.totalMs, 1), medianCpuMs: round(f.cpuMs, 1), runsMs: f.runsMs })),
};
function strip(b) {
  const { report, ...rest } = b;
  return rest;
}
mkdirSync(join(root, "bench", "out"), { recursive: true });
writeFileSync(join(root, "bench", "out", "bundle.json"), JSON.stringify(result, null, 2) + "\n");

const p = result.fullBuild;
console.log(`modelc bundle: ${shape.models} models × ${shape.trees} trees depth ${shape.depth} (${result.totalJsonMB} MB JSON), ${result.cores} cores, Node ${process.version}`);
console.log(`  full build, ${p.parallel.jobs} workers  ${p.parallel.seconds} s (CPU ${p.parallel.cpuSeconds} s, ${p.parallel.concurrency} models at once), peak RSS ${p.parallel.peakRssMB} MB (largest worker heap ${p.parallel.maxWorkerHeapMB} MB), load avg ${p.parallel.loadavg[0]}`);
console.log(`  full build, 1 worker   ${p.sequential.seconds} s (CPU ${p.sequential.cpuSeconds} s), peak RSS ${p.sequential.peakRssMB} MB, load avg ${p.sequential.loadavg[0]} (parallel speed-up ×${p.speedup})`);
console.log(`  no-op rebuild          ${noop.seconds} s (CPU ${noop.cpuSeconds} s), ${noop.built} built`);
console.log(`  one model changed      ${one.seconds} s (CPU ${one.cpuSeconds} s), ${one.built} built, files rewritten: ${rewritten.join(", ")}`);
const s0 = sizes[0];
console.log(`  chunk size             ${round(s0.chunkMB)} MB raw, ${round(s0.chunkGzipMB)} MB gz; model JSON ${round(s0.jsonMB)} MB, ${round(s0.jsonGzipMB)} MB gz (chunk / gz JSON ${result.chunkOverGzipJson.min}–${result.chunkOverGzipJson.max})`);
console.log(`  runtime chunk          ${result.runtimeChunkKB} kB`);
console.log(`  loadModel → 1st pred.  median ${first.map((f) => round(f.totalMs, 1) + " ms").join(", ")} (fresh processes; import ${round(first[0].loadMs, 1)} ms + predict ${round(first[0].firstPredictMs, 2)} ms; CPU ${first.map((f) => round(f.cpuMs, 1) + " ms").join(", ")}; runs ${first.map((f) => f.runsMs.join("/")).join(", ")})`);
