// Benchmark of the bundler plugin against a prebuilt bundle: the build time of an app that imports N large models
// (made by bench/bundle-models.mjs into .cache/, not committed), lazily, one chunk each:
//
//   plugin cold    the app imports each model file with `?modelc`; an empty compile cache (every model compiled)
//   plugin warm    the same, the cache filled (nothing compiled: the bundler's own work plus reading the cache)
//   bundle cold    `modelc bundle <models> -o <dir>` into an empty folder (measured separately)
//   bundle no-op   the same again (nothing to do)
//   app on bundle  the app importing the bundle folder's `loadModel` (its chunks are already compiled JS)
//
// Each build runs in a fresh process under GNU time (wall and CPU seconds, peak RSS); the kinds are interleaved,
// rep after rep, so the load from other users of the machine hits them alike. Ratios are of median wall times:
// plugin cold / (bundle cold + app on bundle), plugin warm / (bundle no-op + app on bundle), plugin warm / app on
// bundle. Bundlers: the tests' pinned Vite and Rollup (test/plugin, installed when missing), built through
// test/plugin/buildApp.mjs with the built plugin (dist/). Writes bench/out/plugin.json.
//
//   node bench/plugin.mjs [--models 12 --trees 1000 --depth 10 --features 50] [--reps 2] [--bundlers vite,rollup]
//                         [--dir .cache/bench-bundle]

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { writeModels } from "./bundle-models.mjs";

const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const shape = {
  models: Number(opt("--models", 12)),
  trees: Number(opt("--trees", 1000)),
  depth: Number(opt("--depth", 10)),
  features: Number(opt("--features", 50)),
};
const reps = Number(opt("--reps", 2));
const bundlers = opt("--bundlers", "vite,rollup").split(",");
const root = resolve(import.meta.dirname, "..");
const dir = resolve(opt("--dir", join(root, ".cache", "bench-bundle")));
const models = join(dir, `models-${shape.models}x${shape.trees}x${shape.depth}x${shape.features}`);
const bin = join(root, "bin", "modelc.js");
const buildApp = join(root, "test", "plugin", "buildApp.mjs");

if (!existsSync(models) || readdirSync(models).filter((f) => f.endsWith(".json")).length !== shape.models) {
  rmSync(models, { recursive: true, force: true });
  const t = performance.now();
  writeModels(models, shape);
  process.stderr.write(`made ${shape.models} models in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}
const files = readdirSync(models)
  .filter((f) => f.endsWith(".json"))
  .sort();
const jsonMB = files.reduce((s, f) => s + statSync(join(models, f)).size, 0) / 2 ** 20;

execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
const plugins = join(root, "test", "plugin");
if (!existsSync(join(plugins, "node_modules", "vite")) || !existsSync(join(plugins, "node_modules", "rollup")))
  execFileSync("npm", ["ci", "--prefix", plugins, "--no-audit", "--no-fund"], { stdio: "inherit" });

// private folders: the two apps, their outputs, the plugin's cache, the bundle
const run = join(dir, `plugin-run-${process.pid}`);
rmSync(run, { recursive: true, force: true });
mkdirSync(run, { recursive: true });
process.on("exit", () => rmSync(run, { recursive: true, force: true }));
const cacheDir = join(run, "cache");
const bundleDir = join(run, "bundle");
const pluginApp = join(run, "plugin-app", "main.js");
const bundleApp = join(run, "bundle-app", "main.js");
mkdirSync(join(run, "plugin-app"));
mkdirSync(join(run, "bundle-app"));
writeFileSync(
  pluginApp,
  `// ${files.length} models, each a chunk compiled by the plugin (on globalThis: an app build keeps no entry exports)\nglobalThis.models = {\n${files
    .map((f) => `  ${JSON.stringify(f.replace(/\.json$/, ""))}: () => import(${JSON.stringify(`${join(models, f)}?modelc`)}),\n`)
    .join("")}};\n`,
);
writeFileSync(
  bundleApp,
  `// the same models from a prebuilt bundle folder\nimport { loadModel, models } from ${JSON.stringify(join(bundleDir, "index.js"))};\nglobalThis.modelc = { loadModel, models };\n`,
);

/** A command in a fresh process under GNU time: wall and CPU seconds, peak RSS, stdout. */
function timed(argv) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", process.execPath, ...argv], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed:\n${r.stderr}`);
  const [seconds, kb, user, sys] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  return { seconds, cpuSeconds: Math.round((user + sys) * 100) / 100, peakRssMB: Math.round(kb / 1024), stdout: r.stdout };
}

function appBuild(bundler, entry, out) {
  rmSync(out, { recursive: true, force: true });
  const t = timed([buildApp, bundler, entry, out, cacheDir]);
  const report = JSON.parse(t.stdout.trim().split("\n").pop());
  const outMB = readdirSync(out, { recursive: true, encoding: "utf8" }).reduce((s, f) => {
    const st = statSync(join(out, f));
    return st.isFile() ? s + st.size : s;
  }, 0);
  return {
    seconds: t.seconds,
    cpuSeconds: t.cpuSeconds,
    peakRssMB: t.peakRssMB,
    compiled: report?.compiled ?? 0,
    cached: report?.cached ?? 0,
    outMB: Math.round((outMB / 2 ** 20) * 10) / 10,
  };
}

function bundleBuild() {
  const t = timed([bin, "bundle", models, "-o", bundleDir, "--json"]);
  const report = JSON.parse(t.stdout);
  return {
    seconds: t.seconds,
    cpuSeconds: t.cpuSeconds,
    peakRssMB: t.peakRssMB,
    built: report.models.filter((m) => m.status === "built").length,
    jobs: report.jobs,
  };
}

const runs = { bundleCold: [], bundleNoop: [] };
for (const b of bundlers) Object.assign(runs, { [`${b}PluginCold`]: [], [`${b}PluginWarm`]: [], [`${b}OnBundle`]: [] });
const log = (name, r) => {
  runs[name].push({ ...r, loadavg: loadavg().map((x) => Math.round(x * 10) / 10) });
  process.stderr.write(
    `  ${name.padEnd(18)} ${r.seconds.toFixed(1).padStart(6)} s wall ${r.cpuSeconds.toFixed(1).padStart(6)} s CPU ${String(r.peakRssMB).padStart(5)} MB${r.compiled === undefined ? ` built ${r.built}` : ` compiled ${r.compiled} cached ${r.cached}, ${r.outMB} MB out`}\n`,
  );
};

process.stderr.write(
  `${files.length} models (${jsonMB.toFixed(0)} MB of JSON), ${reps} reps, bundlers ${bundlers.join(", ")}, ${availableParallelism()} cores\n`,
);
for (let rep = 0; rep < reps; rep++) {
  process.stderr.write(`rep ${rep + 1}\n`);
  // alternate which side goes first
  const pluginSide = () => {
    for (const b of bundlers) {
      rmSync(cacheDir, { recursive: true, force: true });
      log(`${b}PluginCold`, appBuild(b, pluginApp, join(run, "out", `${b}-plugin`)));
      log(`${b}PluginWarm`, appBuild(b, pluginApp, join(run, "out", `${b}-plugin`)));
    }
  };
  const bundleSide = () => {
    rmSync(bundleDir, { recursive: true, force: true });
    log("bundleCold", bundleBuild());
    log("bundleNoop", bundleBuild());
    for (const b of bundlers) log(`${b}OnBundle`, appBuild(b, bundleApp, join(run, "out", `${b}-bundle`)));
  };
  if (rep % 2 === 0) {
    pluginSide();
    bundleSide();
  } else {
    bundleSide();
    pluginSide();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const wall = (name) => Math.round(median(runs[name].map((r) => r.seconds)) * 1000) / 1000;
const cpu = (name) => median(runs[name].map((r) => r.cpuSeconds));
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const summary = {};
for (const b of bundlers) {
  summary[b] = {
    pluginColdSeconds: wall(`${b}PluginCold`),
    pluginWarmSeconds: wall(`${b}PluginWarm`),
    appOnBundleSeconds: wall(`${b}OnBundle`),
    bundleColdSeconds: wall("bundleCold"),
    bundleNoopSeconds: wall("bundleNoop"),
    // the plugin's build against the bundle route's total (the bundle, then the app on it)
    coldRatio: round(wall(`${b}PluginCold`) / (wall("bundleCold") + wall(`${b}OnBundle`))),
    warmRatio: round(wall(`${b}PluginWarm`) / (wall("bundleNoop") + wall(`${b}OnBundle`))),
    warmVsAppOnly: round(wall(`${b}PluginWarm`) / wall(`${b}OnBundle`)),
    coldCpuRatio: round(cpu(`${b}PluginCold`) / (cpu("bundleCold") + cpu(`${b}OnBundle`))),
    warmCpuRatio: round(cpu(`${b}PluginWarm`) / (cpu("bundleNoop") + cpu(`${b}OnBundle`))),
  };
}
const result = {
  date: new Date().toISOString(),
  command: `node bench/plugin.mjs ${args.join(" ")}`.trim(),
  node: process.version,
  cores: availableParallelism(),
  shape,
  jsonMB: round(jsonMB, 1),
  reps,
  bundlers,
  summary,
  runs,
};
mkdirSync(join(root, "bench", "out"), { recursive: true });
writeFileSync(join(root, "bench", "out", "plugin.json"), `${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`${JSON.stringify(summary, null, 2)}\nwrote bench/out/plugin.json\n`);
