// Load benchmark of `modelc serve` (autocannon, 127.0.0.1 only, bounded in time), in one run beside
// (a) Flask under gunicorn around the same XGBoost models (bench/serve_flask.py, the venv of
// python/requirements/serve.txt; gthread workers, one per core, so keep-alive connections are kept
// like every other server here; --py-sync: gunicorn's default sync workers, which close the
// connection after each answer) and (b) Go net/http answering a fixed JSON body (bench/serve-go/),
// the ceiling of an HTTP stack on this machine, and node:http with a fixed body (bench/serve-node-fixed.mjs),
// Node's own ceiling. Servers run one at a time; each scenario gets a
// warm-up, then a timed run. Models: a small one (xgb3-binary-logistic: 30 features, 20 trees of
// depth ≤ 3) and the 1000-tree depth-10 one (.cache/big, made by bench/big-model.mjs --make), the
// latter also from a WebAssembly bundle (`modelc bundle --target wasm`; --no-wasm to skip).
//
//   node bench/serve.mjs [--duration 10] [--connections 32] [--workers 2] [--no-python] [--py-sync] [--no-go] [--no-wasm]
//
// Writes bench/out/serve.json and prints a table. On a shared machine the client (autocannon)
// competes with the server for the same cores: compare the ratios within one run. Beside req/s,
// the server's CPU time per request (the process tree's, from /proc) and the client's.

import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const duration = Number(opt("--duration", "10"));
const connections = Number(opt("--connections", "32"));
const workers = Number(opt("--workers", String(availableParallelism())));
const root = resolve(import.meta.dirname, "..");
const work = join(root, ".cache", "serve-bench");
const bigDir = join(root, ".cache", "big");
mkdirSync(join(work, "models"), { recursive: true });
mkdirSync(join(root, "bench", "out"), { recursive: true });

const log = (s) => process.stderr.write(s + "\n");

// models and the bundle
if (!existsSync(join(bigDir, "model.json"))) throw new Error("no .cache/big/model.json: run `node bench/big-model.mjs --make` first");
copyFileSync(join(root, "fixtures", "xgb3-binary-logistic", "model.json"), join(work, "models", "small.json"));
copyFileSync(join(bigDir, "model.json"), join(work, "models", "big.json"));
spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
log("bundling (incremental)...");
const b = spawnSync(process.execPath, [join(root, "bin", "modelc.js"), "bundle", join(work, "models"), "-o", join(work, "bundle"), "--json"], {
  encoding: "utf8",
});
if (b.status !== 0) throw new Error(`bundle failed: ${b.stderr}`);

// the same models as a WebAssembly bundle (`modelc bundle --target wasm`: per model a .wasm and its
// loader chunk), served by a second server; Python has one build: compared with its "big" figures
const wasm = !args.includes("--no-wasm");
if (wasm) {
  log("bundling as WebAssembly (incremental)...");
  const bw = spawnSync(
    process.execPath,
    [join(root, "bin", "modelc.js"), "bundle", join(work, "models"), "-o", join(work, "bundle-wasm"), "--target", "wasm", "--json"],
    { encoding: "utf8" },
  );
  if (bw.status !== 0) throw new Error(`bundle --target wasm failed: ${bw.stderr}`);
}

function csvRows(file, n) {
  const lines = readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1, n + 1);
  return lines.map((l) => l.split(",").map((v) => (v === "" || v.toLowerCase() === "nan" ? null : Number(v))));
}
const smallRows = csvRows(join(root, "fixtures", "xgb3-binary-logistic", "rows.csv"), 100);
const bigRows = csvRows(join(bigDir, "rows.csv"), 200);
// one-row scenarios cycle through 100 different rows (one row sent again and again would keep the
// same tree paths in the CPU's caches and branch predictors, on either side)
const one = (rows) => rows.slice(0, 100).map((r) => JSON.stringify({ instances: [r] }));
const scenarios = [
  { id: "small-1", model: "small", bodies: one(smallRows), label: "small model, 1 row" },
  { id: "big-1", model: "big", bodies: one(bigRows), label: "1000 trees, 1 row" },
  {
    id: "big-100",
    model: "big",
    bodies: [JSON.stringify({ instances: bigRows.slice(0, 100) }), JSON.stringify({ instances: bigRows.slice(100, 200) })],
    label: "1000 trees, 100 rows",
  },
];
// the same requests to the WebAssembly bundle
if (wasm)
  scenarios.push(
    ...scenarios
      .filter((s) => s.model === "big")
      .map((s) => ({ ...s, id: s.id.replace("big", "bigw"), label: s.label.replace("1000 trees", "1000 trees wasm"), python: s.id, bundle: "bundle-wasm" })),
  );

/** Starts a server; resolves with its base URL once `ready` answers 200. */
async function start(name, cmd, argv, env, urlFrom) {
  const p = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  p.stdout.on("data", (c) => (out += c));
  p.stderr.on("data", (c) => (out += c));
  const end = Date.now() + 120_000;
  let base;
  while (!(base = urlFrom(out))) {
    if (p.exitCode !== null || Date.now() > end) throw new Error(`${name} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (;;) {
    try {
      if ((await fetch(base + "/healthz")).ok) break;
    } catch {}
    if (Date.now() > end) throw new Error(`${name} never became healthy:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = () =>
    new Promise((r) => {
      if (p.exitCode !== null) return r(p.exitCode);
      p.once("exit", (code) => r(code));
      p.kill("SIGTERM");
      setTimeout(() => p.kill("SIGKILL"), 10_000).unref();
    });
  return { base, stop, log: () => out, pid: p.pid };
}

/**
 * CPU seconds (user + system) used so far by a process and all its descendants (Linux /proc; else
 * undefined). Throughput on a shared machine moves with the other load; CPU time per request
 * moves much less, so it is reported beside it.
 */
function treeCpuSeconds(rootPid) {
  if (process.platform !== "linux") return undefined;
  const procs = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {}
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs)
      if (!tree.has(pid) && tree.has(p.ppid)) {
        tree.add(pid);
        grew = true;
      }
  }
  let ticks = 0;
  for (const pid of tree) ticks += procs.get(pid)?.ticks ?? 0;
  return ticks / 100; // USER_HZ
}

async function load(url, bodies, seconds) {
  const r = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: bodies.map((body) => ({ method: "POST", body })),
    connections,
    duration: seconds,
    timeout: 30,
  });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r["2xx"],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function bench(server, name, list) {
  const rows = [];
  for (const s of list) {
    const url = `${server.base}/v1/models/${s.model}:predict`;
    const check = await fetch(url, { method: "POST", body: s.bodies[0], headers: { "content-type": "application/json" } });
    const answer = await check.json();
    if (!check.ok || !Array.isArray(answer.predictions)) throw new Error(`${name} ${s.id}: ${check.status} ${JSON.stringify(answer).slice(0, 200)}`);
    await load(url, s.bodies, 2); // warm-up
    const cpu0 = treeCpuSeconds(server.pid);
    const client0 = process.cpuUsage();
    const r = await load(url, s.bodies, duration);
    const cpu1 = treeCpuSeconds(server.pid);
    const client = process.cpuUsage(client0);
    const answered = r.ok + r.non2xx;
    if (cpu0 !== undefined && answered > 0) r.serverCpuUsPerReq = Math.round(((cpu1 - cpu0) * 1e6) / answered);
    if (answered > 0) r.clientCpuUsPerReq = Math.round((client.user + client.system) / answered);
    log(
      `${name.padEnd(24)} ${s.label.padEnd(26)} ${String(r.rps).padStart(7)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(4)} ms  server CPU ${String(r.serverCpuUsPerReq ?? "-").padStart(5)} µs/req  (client ${r.clientCpuUsPerReq} µs/req; ${r.non2xx} non-2xx, ${r.errors} errors)`,
    );
    rows.push({ server: name, scenario: s.id, ...r, sample: answer.predictions.slice(0, 2) });
  }
  return rows;
}

const results = [];
const listening = (s) => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(s)?.[1];
log(
  `load: ${connections} connections, ${duration} s per scenario (+2 s warm-up); ${availableParallelism()} cores; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);

// both worker counts: with the load generator on the same cores, one worker (bigger batches) can beat two
for (const w of [...new Set([workers, 1])]) {
  for (const bundleDir of [...new Set(scenarios.map((x) => x.bundle ?? "bundle"))]) {
    const s = await start(
      `modelc serve (${w} workers)`,
      process.execPath,
      [join(root, "bin", "modelc.js"), "serve", join(work, bundleDir), "--port", "0", "--workers", String(w)],
      {},
      listening,
    );
    results.push(
      ...(await bench(
        s,
        `modelc serve ×${w}`,
        scenarios.filter((x) => (x.bundle ?? "bundle") === bundleDir),
      )),
    );
    const code = await s.stop();
    if (code !== 0) log(`modelc serve exited ${code} on SIGTERM`);
  }
}

if (!args.includes("--no-python")) {
  const py = spawnSync("bash", [join(root, "python", "venv.sh"), "serve"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (py.status !== 0) throw new Error("python/venv.sh serve failed");
  const bin = resolve(py.stdout.trim(), "..");
  const port = 20000 + Math.floor(Math.random() * 20000); // gunicorn cannot report a port chosen by the OS
  const workerClass = args.includes("--py-sync") ? ["-k", "sync"] : ["-k", "gthread", "--threads", "4"];
  const s = await start(
    "flask",
    join(bin, "gunicorn"),
    ["-w", String(workers), ...workerClass, "-b", `127.0.0.1:${port}`, "--chdir", join(root, "bench"), "--log-level", "warning", "serve_flask:app"],
    { MODELS: `small=${join(work, "models", "small.json")},big=${join(work, "models", "big.json")}`, OMP_NUM_THREADS: "1" },
    () => `http://127.0.0.1:${port}`,
  );
  results.push(
    ...(await bench(
      s,
      `flask+gunicorn ×${workers}${args.includes("--py-sync") ? " sync" : ""}`,
      scenarios.filter((x) => !x.python),
    )),
  );
  await s.stop();
}

{
  const s = await start("node fixed", process.execPath, [join(root, "bench", "serve-node-fixed.mjs"), "--workers", String(workers)], {}, listening);
  results.push(...(await bench(s, `node:http fixed ×${workers}`, scenarios.slice(0, 1))));
  await s.stop();
}

if (!args.includes("--no-go")) {
  const go = spawnSync("go", ["build", "-o", join(work, "fixed"), join(root, "bench", "serve-go", "main.go")], { stdio: "inherit" });
  if (go.status !== 0) throw new Error("go build failed");
  const s = await start("go", join(work, "fixed"), ["0"], { GOMAXPROCS: String(workers) }, listening);
  // a fixed answer: the model does not matter; the small model's request body
  results.push(...(await bench(s, "go net/http fixed", scenarios.slice(0, 1))));
  await s.stop();
}

const get = (server, scenario) => results.find((r) => r.server.startsWith(server) && r.scenario === scenario);
const ratios = {};
const f = get("flask", "small-1");
const g = get("go", "small-1");
const n = get("node:http fixed", "small-1");
for (const w of [...new Set([workers, 1])]) {
  const mw = get(`modelc serve ×${w}`, "small-1");
  if (!mw) continue;
  if (f)
    for (const s of scenarios) ratios[`modelc×${w}/flask ${s.id}`] = +(get(`modelc serve ×${w}`, s.id).rps / get("flask", s.python ?? s.id).rps).toFixed(1);
  if (g) ratios[`modelc×${w}/go small-1`] = +(mw.rps / g.rps).toFixed(2);
  if (n) ratios[`modelc×${w}/node-fixed small-1`] = +(mw.rps / n.rps).toFixed(2);
  // requests per CPU second of the server, modelc over Flask (steadier than req/s on a shared machine)
  if (f)
    for (const s of scenarios) {
      const a = get(`modelc serve ×${w}`, s.id)?.serverCpuUsPerReq;
      const b = get("flask", s.python ?? s.id)?.serverCpuUsPerReq;
      if (a && b) ratios[`modelc×${w}/flask per CPU ${s.id}`] = +(b / a).toFixed(1);
    }
}
log(JSON.stringify(ratios));
writeFileSync(
  join(root, "bench", "out", "serve.json"),
  JSON.stringify({ date: new Date().toISOString(), cores: availableParallelism(), loadavg: loadavg(), connections, duration, results, ratios }, null, 2) + "\n",
);
