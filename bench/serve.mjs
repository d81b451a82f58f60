// Load benchmark of `modelc serve` (127.0.0.1 only, bounded in time), in one run beside
// (a) Flask under gunicorn around the same XGBoost models (bench/serve_flask.py, the venv of
// python/requirements/serve.txt; gthread workers, one per core, so keep-alive connections are kept
// like every other server here; --py-sync: gunicorn's default sync workers, which close the
// connection after each answer) and (b) Go net/http answering a fixed JSON body (bench/serve-go/),
// the ceiling of an HTTP stack on this machine, and node:http with a fixed body (bench/serve-node-fixed.mjs),
// Node's own ceiling. Servers run one at a time; each case gets a warm-up, then a timed run.
// Models: a small one (xgb3-binary-logistic: 30 features, 20 trees of depth ≤ 3) and the 1000-tree
// depth-10 one (.cache/big, made by bench/big-model.mjs --make), the latter also from a WebAssembly
// bundle (`modelc bundle --target wasm`; --no-wasm to skip); each with 1-row and 100-row requests.
//
// modelc serve is measured over each of its APIs, on the same rows (the output `predict` only, what
// the TF-Serving API answers):
//   v1        TF-Serving REST, POST /v1/models/{m}:predict {"instances": [[...]]}   (autocannon)
//   v2        Open Inference Protocol REST, POST /v2/models/{m}/infer               (autocannon)
//   grpc      OIP gRPC ModelInfer, the input in contents.fp64_contents              (a @grpc/grpc-js load client)
//   grpc-raw  OIP gRPC ModelInfer, the input in raw_input_contents (FP64 little-endian, as Triton's clients send)
// The gRPC client keeps --connections calls in flight over --grpc-channels HTTP/2 connections for
// the duration; requests are encoded once beforehand and answers are not decoded (as autocannon
// sends prepared bodies and does not parse answers). Flask and the fixed servers answer v1 only.
//
//   node bench/serve.mjs [--duration 10] [--connections 32] [--workers 2] [--worker-counts 2,1]
//                        [--only small|big|bigw|<case id>,...] [--apis v1,v2,grpc,grpc-raw] [--grpc-channels 4] [--grpc-client grpc-js|h2]
//                        [--no-python] [--py-sync] [--no-go] [--no-node-fixed] [--no-wasm]
//
// Case ids: small-1, small-100, big-1, big-100, bigw-1, bigw-100 (bigw: the WebAssembly bundle).
// A quick run: node bench/serve.mjs --duration 3 --only small --worker-counts 2 --no-go --no-node-fixed
//
// Writes bench/out/serve.json and prints a table (stdout; progress on stderr). On a shared machine
// the client competes with the server for the same cores: compare the ratios within one run.
// Beside req/s, the server's CPU time per request (the process tree's, from /proc) and the client's.

import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import { createServer } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import autocannon from "autocannon";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const list = (s) => s.split(",").filter((x) => x !== "");
const duration = Number(opt("--duration", "10"));
const connections = Number(opt("--connections", "32"));
const workers = Number(opt("--workers", String(availableParallelism())));
const workerCounts = [...new Set(list(opt("--worker-counts", `${workers},1`)).map(Number))];
const grpcChannels = Number(opt("--grpc-channels", "4"));
const grpcClient = opt("--grpc-client", "grpc-js");
if (!["grpc-js", "h2"].includes(grpcClient)) throw new Error(`--grpc-client: grpc-js or h2, not ${grpcClient}`);
const API_NAMES = ["v1", "v2", "grpc", "grpc-raw"];
const apis = list(opt("--apis", API_NAMES.join(",")));
for (const a of apis) if (!API_NAMES.includes(a)) throw new Error(`--apis: unknown ${a}; known: ${API_NAMES.join(", ")}`);
if (!apis.includes("v1")) throw new Error("--apis must include v1 (the reference of the ratios)");
const only = opt("--only") === undefined ? undefined : list(opt("--only"));
const wasm = !args.includes("--no-wasm");
const root = resolve(import.meta.dirname, "..");
const work = join(root, ".cache", "serve-bench");
const bigDir = join(root, ".cache", "big");
mkdirSync(join(work, "models"), { recursive: true });
mkdirSync(join(root, "bench", "out"), { recursive: true });

const log = (s) => process.stderr.write(s + "\n");

function csvRows(file, n) {
  const lines = readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1, n + 1);
  return lines.map((l) => l.split(",").map((v) => (v === "" || v.toLowerCase() === "nan" ? null : Number(v))));
}

// the cases: each a list of requests, each request a list of rows (null: missing). One-row cases
// cycle through 100 different rows (one row sent again and again would keep the same tree paths in
// the CPU's caches and branch predictors, on either side); 100-row ones alternate two batches.
const smallRows = () => csvRows(join(root, "fixtures", "xgb3-binary-logistic", "rows.csv"), 100);
const bigRows = () => csvRows(join(bigDir, "rows.csv"), 200);
const ones = (rows) => rows.slice(0, 100).map((r) => [r]);
const all = [
  { id: "small-1", model: "small", requests: () => ones(smallRows()), label: "small model, 1 row" },
  { id: "small-100", model: "small", requests: () => [smallRows(), smallRows().reverse()], label: "small model, 100 rows" },
  { id: "big-1", model: "big", requests: () => ones(bigRows()), label: "1000 trees, 1 row" },
  { id: "big-100", model: "big", requests: () => [bigRows().slice(0, 100), bigRows().slice(100, 200)], label: "1000 trees, 100 rows" },
];
// the same requests to the WebAssembly bundle; Python has one build: compared with its "big" figures
if (wasm)
  all.push(
    ...all
      .filter((s) => s.model === "big")
      .map((s) => ({ ...s, id: s.id.replace("big", "bigw"), label: s.label.replace("1000 trees", "1000 trees wasm"), python: s.id, bundle: "bundle-wasm" })),
  );
const group = (s) => s.id.slice(0, s.id.lastIndexOf("-"));
const scenarios = all.filter((s) => only === undefined || only.includes(s.id) || only.includes(group(s)));
if (scenarios.length === 0) throw new Error(`--only ${only}: no case; cases: ${all.map((s) => s.id).join(", ")}`);
const needBig = scenarios.some((s) => s.model === "big");

// models and the bundles
if (needBig && !existsSync(join(bigDir, "model.json")))
  throw new Error("no .cache/big/model.json: run `node bench/big-model.mjs --make` first (or --only small)");
copyFileSync(join(root, "fixtures", "xgb3-binary-logistic", "model.json"), join(work, "models", "small.json"));
if (existsSync(join(bigDir, "model.json"))) copyFileSync(join(bigDir, "model.json"), join(work, "models", "big.json"));
spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
log("bundling (incremental)...");
const b = spawnSync(process.execPath, [join(root, "bin", "modelc.js"), "bundle", join(work, "models"), "-o", join(work, "bundle"), "--json"], {
  encoding: "utf8",
});
if (b.status !== 0) throw new Error(`bundle failed: ${b.stderr}`);
// the same models as a WebAssembly bundle (`modelc bundle --target wasm`: per model a .wasm and its
// loader chunk), served by a second server
if (scenarios.some((s) => s.bundle === "bundle-wasm")) {
  log("bundling as WebAssembly (incremental)...");
  const bw = spawnSync(
    process.execPath,
    [join(root, "bin", "modelc.js"), "bundle", join(work, "models"), "-o", join(work, "bundle-wasm"), "--target", "wasm", "--json"],
    { encoding: "utf8" },
  );
  if (bw.status !== 0) throw new Error(`bundle --target wasm failed: ${bw.stderr}`);
}

// ModelInfer's method definition: its path and the protobuf encoder/decoder of its messages
const inferMethod = protoLoader.loadSync(join(root, "src", "serve", "grpc", "inference.proto"), {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
})["inference.GRPCInferenceService"].ModelInfer;

/** Each case's requests in every API's encoding (built once, before any timing). */
for (const s of scenarios) {
  const reqs = s.requests();
  const nF = reqs[0][0].length;
  const flat = (rows) => rows.flat();
  const input = (rows) => ({ name: "input", datatype: "FP64", shape: [rows.length, nF] });
  const outputs = [{ name: "predict" }];
  s.bodies = {
    v1: reqs.map((rows) => JSON.stringify({ instances: rows })),
    v2: reqs.map((rows) => JSON.stringify({ inputs: [{ ...input(rows), data: flat(rows) }], outputs })),
    grpc: reqs.map((rows) =>
      inferMethod.requestSerialize({
        model_name: s.model,
        inputs: [{ ...input(rows), contents: { fp64_contents: flat(rows).map((v) => v ?? NaN) } }],
        outputs,
      }),
    ),
    "grpc-raw": reqs.map((rows) =>
      inferMethod.requestSerialize({
        model_name: s.model,
        inputs: [input(rows)],
        outputs,
        raw_input_contents: [Buffer.from(Float64Array.from(flat(rows), (v) => v ?? NaN).buffer)],
      }),
    ),
  };
}

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

/** A port free right now (for --grpc-port: with several workers, port 0 would not tell which one they got). */
function freePort() {
  return new Promise((r, j) => {
    const s = createServer();
    s.once("error", j);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => r(port));
    });
  });
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

/** HTTP load (autocannon): POSTs of the bodies in turn over `connections` keep-alive connections. */
async function httpLoad(url, bodies, seconds) {
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

/**
 * gRPC channels to target, each its own HTTP/2 connection, as { call(buf) → answer bytes, ready(), close() }:
 * @grpc/grpc-js clients (a local subchannel pool: not shared), or with --grpc-client h2 bare
 * node:http2 sessions that frame the message themselves (a much cheaper client: tells how much of
 * grpc-js's figures is its own client's cost on the shared cores).
 */
function grpcClients(target) {
  return Array.from({ length: grpcChannels }, () => (grpcClient === "h2" ? h2Client(target) : grpcJsClient(target)));
}

const pass = (x) => x;

function grpcJsClient(target) {
  const c = new grpc.Client(target, grpc.credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1, "grpc.max_receive_message_length": -1 });
  return {
    call: (buf) =>
      new Promise((r, j) => c.makeUnaryRequest(inferMethod.path, pass, pass, buf, { deadline: Date.now() + 30_000 }, (e, res) => (e ? j(e) : r(res)))),
    ready: () => new Promise((r, j) => c.waitForReady(Date.now() + 60_000, (e) => (e ? j(e) : r()))),
    close: () => c.close(),
  };
}

function h2Client(target) {
  let session;
  const connect = () => {
    session = http2.connect(`http://${target}`);
    session.on("error", () => {});
    return new Promise((r, j) => {
      session.once("connect", r);
      session.once("error", j);
    });
  };
  return {
    call: (buf) =>
      new Promise((r, j) => {
        const head = Buffer.alloc(5);
        head.writeUInt32BE(buf.length, 1);
        const req = session.request({ ":method": "POST", ":path": inferMethod.path, "content-type": "application/grpc", te: "trailers" });
        const chunks = [];
        let status;
        req.on("response", (h) => (status = h["grpc-status"] ?? status));
        req.on("trailers", (h) => (status = h["grpc-status"] ?? status));
        req.on("data", (c) => chunks.push(c));
        req.on("error", j);
        req.on("end", () => {
          if (status !== "0") return j(Object.assign(new Error(`grpc-status ${status}`), { code: Number(status) }));
          r(Buffer.concat(chunks).subarray(5));
        });
        req.end(Buffer.concat([head, buf]));
      }),
    ready: async () => {
      for (let end = Date.now() + 60_000; ; ) {
        try {
          return await connect();
        } catch (e) {
          if (Date.now() > end) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    close: () => session?.close(),
  };
}

/**
 * gRPC load: `connections` calls in flight (spread over the clients), each followed at once by the
 * next request in turn, for `seconds`; counts the calls that completed within the time and their
 * latencies (ms).
 */
async function grpcLoad(clients, bufs, seconds) {
  const lat = [];
  let ok = 0;
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const codes = {};
  const loop = async (client) => {
    while (performance.now() < end) {
      const buf = bufs[next++ % bufs.length];
      const t = performance.now();
      try {
        await client.call(buf);
        const now = performance.now();
        if (now > end) break;
        ok++;
        lat.push(now - t);
      } catch (e) {
        errors++;
        codes[e.code] = (codes[e.code] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(clients[i % clients.length])));
  const elapsed = (Math.min(performance.now(), end) - t0) / 1000;
  lat.sort((a, b) => a - b);
  const pct = (p) => (lat.length ? +lat[Math.min(lat.length - 1, Math.floor((lat.length * p) / 100))].toFixed(2) : undefined);
  if (errors) log(`  gRPC errors by status code: ${JSON.stringify(codes)}`);
  return { rps: Math.round(ok / elapsed), p50: pct(50), p99: pct(99), ok, non2xx: 0, errors };
}

/** The first predictions of one request over each API, to check they all answer the same. */
async function sample(server, clients, s, api) {
  const what = `${s.id} ${api}`;
  if (api === "v1" || api === "v2") {
    const url = api === "v1" ? `${server.base}/v1/models/${s.model}:predict` : `${server.base}/v2/models/${s.model}/infer`;
    const res = await fetch(url, { method: "POST", body: s.bodies[api][0], headers: { "content-type": "application/json" } });
    const answer = await res.json();
    const values = api === "v1" ? answer.predictions : answer.outputs?.[0]?.data;
    if (!res.ok || !Array.isArray(values)) throw new Error(`${what}: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    return values.slice(0, 2);
  }
  const answer = inferMethod.responseDeserialize(await clients[0].call(s.bodies[api][0]));
  if (api === "grpc") return answer.outputs[0].contents.fp64_contents.slice(0, 2);
  const raw = answer.raw_output_contents[0];
  return Array.from(new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))).slice(0, 2);
}

const fmt = (v, w) => String(v ?? "-").padStart(w);

/** Runs the cases × APIs against one server (grpcTarget: host:port of its gRPC API, if any). */
async function bench(server, name, cases, caseApis, grpcTarget) {
  const rows = [];
  const clients = grpcTarget ? grpcClients(grpcTarget) : [];
  if (clients.length)
    await Promise.all(clients.map((c) => c.ready())).catch((e) => {
      throw new Error(`${name}: gRPC not ready: ${e.message}`);
    });
  try {
    for (const s of cases)
      for (const api of caseApis) {
        const answer = await sample(server, clients, s, api);
        const first = rows.find((r) => r.scenario === s.id && r.api === "v1")?.sample;
        if (first?.some((v, i) => Math.abs(v - answer[i]) > 1e-9 * Math.max(1, Math.abs(v))))
          log(`  ${name} ${s.id}: ${api} answers ${JSON.stringify(answer)}, v1 ${JSON.stringify(first)}`);
        const load =
          api === "v1"
            ? (sec) => httpLoad(`${server.base}/v1/models/${s.model}:predict`, s.bodies.v1, sec)
            : api === "v2"
              ? (sec) => httpLoad(`${server.base}/v2/models/${s.model}/infer`, s.bodies.v2, sec)
              : (sec) => grpcLoad(clients, s.bodies[api], sec);
        await load(2); // warm-up
        const cpu0 = treeCpuSeconds(server.pid);
        const client0 = process.cpuUsage();
        const r = await load(duration);
        const cpu1 = treeCpuSeconds(server.pid);
        const client = process.cpuUsage(client0);
        const answered = r.ok + r.non2xx;
        if (cpu0 !== undefined && answered > 0) r.serverCpuUsPerReq = Math.round(((cpu1 - cpu0) * 1e6) / answered);
        if (answered > 0) r.clientCpuUsPerReq = Math.round((client.user + client.system) / answered);
        log(
          `${name.padEnd(24)} ${s.label.padEnd(26)} ${api.padEnd(8)} ${fmt(r.rps, 7)} req/s  p50 ${fmt(r.p50, 5)} ms  p99 ${fmt(r.p99, 6)} ms  server CPU ${fmt(r.serverCpuUsPerReq, 6)} µs/req  (client ${r.clientCpuUsPerReq} µs/req; ${r.non2xx} non-2xx, ${r.errors} errors)`,
        );
        rows.push({ server: name, scenario: s.id, api, ...r, sample: answer });
      }
  } finally {
    for (const c of clients) c.close();
  }
  return rows;
}

const results = [];
const listening = (s) => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(s)?.[1];
log(
  `load: ${connections} connections (gRPC: ${connections} calls in flight over ${grpcChannels} ${grpcClient} channels), ${duration} s per case (+2 s warm-up); cases ${scenarios.map((s) => s.id).join(", ")}; APIs ${apis.join(", ")}; ${availableParallelism()} cores; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);

const grpcApis = apis.filter((a) => a.startsWith("grpc"));
// every worker count: with the load generator on the same cores, one worker (bigger batches) can beat two
for (const w of workerCounts) {
  for (const bundleDir of [...new Set(scenarios.map((x) => x.bundle ?? "bundle"))]) {
    const grpcPort = grpcApis.length ? await freePort() : undefined;
    const s = await start(
      `modelc serve (${w} workers)`,
      process.execPath,
      [
        join(root, "bin", "modelc.js"),
        "serve",
        join(work, bundleDir),
        "--port",
        "0",
        "--workers",
        String(w),
        ...(grpcPort === undefined ? [] : ["--grpc-port", String(grpcPort)]),
      ],
      {},
      listening,
    );
    results.push(
      ...(await bench(
        s,
        `modelc serve ×${w}`,
        scenarios.filter((x) => (x.bundle ?? "bundle") === bundleDir),
        apis,
        grpcPort === undefined ? undefined : `127.0.0.1:${grpcPort}`,
      )),
    );
    const code = await s.stop();
    if (code !== 0) log(`modelc serve exited ${code} on SIGTERM`);
  }
}

const pythonCases = scenarios.filter((x) => !x.python || !scenarios.some((y) => y.id === x.python));
if (!args.includes("--no-python")) {
  const py = spawnSync("bash", [join(root, "python", "venv.sh"), "serve"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (py.status !== 0) throw new Error("python/venv.sh serve failed");
  const bin = resolve(py.stdout.trim(), "..");
  const port = 20000 + Math.floor(Math.random() * 20000); // gunicorn cannot report a port chosen by the OS
  const workerClass = args.includes("--py-sync") ? ["-k", "sync"] : ["-k", "gthread", "--threads", "4"];
  const models = [`small=${join(work, "models", "small.json")}`, ...(needBig ? [`big=${join(work, "models", "big.json")}`] : [])];
  const s = await start(
    "flask",
    join(bin, "gunicorn"),
    ["-w", String(workers), ...workerClass, "-b", `127.0.0.1:${port}`, "--chdir", join(root, "bench"), "--log-level", "warning", "serve_flask:app"],
    { MODELS: models.join(","), OMP_NUM_THREADS: "1" },
    () => `http://127.0.0.1:${port}`,
  );
  // a wasm case without its JS twin in this run: Flask answers it under the wasm case's id
  const cases = pythonCases.map((x) => (x.python ? { ...x, id: x.python, label: x.label.replace(" wasm", "") } : x));
  results.push(...(await bench(s, `flask+gunicorn ×${workers}${args.includes("--py-sync") ? " sync" : ""}`, cases, ["v1"])));
  await s.stop();
}

// the fixed-answer servers: the model does not matter; the small model's one-row request bodies
const fixedCase = { ...all[0], id: "small-1" };
fixedCase.bodies = { v1: ones(smallRows()).map((rows) => JSON.stringify({ instances: rows })) };
if (!args.includes("--no-node-fixed")) {
  const s = await start("node fixed", process.execPath, [join(root, "bench", "serve-node-fixed.mjs"), "--workers", String(workers)], {}, listening);
  results.push(...(await bench(s, `node:http fixed ×${workers}`, [fixedCase], ["v1"])));
  await s.stop();
}

if (!args.includes("--no-go")) {
  const go = spawnSync("go", ["build", "-o", join(work, "fixed"), join(root, "bench", "serve-go", "main.go")], { stdio: "inherit" });
  if (go.status !== 0) throw new Error("go build failed");
  const s = await start("go", join(work, "fixed"), ["0"], { GOMAXPROCS: String(workers) }, listening);
  results.push(...(await bench(s, "go net/http fixed", [fixedCase], ["v1"])));
  await s.stop();
}

// ratios, per result row (vs v1: the same server and case over TF-Serving REST; vs Flask: Flask on
// the same case) and in the summary object of before (modelc over the others, v1)
const get = (server, scenario, api = "v1") => results.find((r) => r.server.startsWith(server) && r.scenario === scenario && r.api === api);
const ratio = (a, b, digits) => (a && b ? +(a / b).toFixed(digits) : undefined);
for (const r of results) {
  if (!r.server.startsWith("modelc")) continue;
  const s = scenarios.find((x) => x.id === r.scenario);
  const v1 = get(r.server, r.scenario);
  const flask = get("flask", s.python ?? s.id) ?? get("flask", s.id);
  if (r.api !== "v1") {
    r.rpsVsV1 = ratio(r.rps, v1?.rps, 2);
    // above 1: this API costs the server less CPU per request than v1
    r.cpuVsV1 = ratio(v1?.serverCpuUsPerReq, r.serverCpuUsPerReq, 2);
  }
  r.rpsVsFlask = ratio(r.rps, flask?.rps, 1);
  // requests per CPU second of the server, over Flask's (steadier than req/s on a shared machine)
  r.cpuVsFlask = ratio(flask?.serverCpuUsPerReq, r.serverCpuUsPerReq, 1);
}
const ratios = {};
const g = get("go", "small-1");
const n = get("node:http fixed", "small-1");
for (const w of workerCounts) {
  const name = `modelc serve ×${w}`;
  for (const r of results.filter((x) => x.server === name)) {
    const key = (what) => `modelc×${w}${r.api === "v1" ? "" : ` ${r.api}`}/${what} ${r.scenario}`;
    if (r.rpsVsFlask !== undefined) ratios[key("flask")] = r.rpsVsFlask;
    if (r.cpuVsFlask !== undefined) ratios[key("flask per CPU")] = r.cpuVsFlask;
    if (r.rpsVsV1 !== undefined) ratios[key("v1")] = r.rpsVsV1;
    if (r.cpuVsV1 !== undefined) ratios[key("v1 per CPU")] = r.cpuVsV1;
  }
  const mw = get(name, "small-1");
  if (mw && g) ratios[`modelc×${w}/go small-1`] = ratio(mw.rps, g.rps, 2);
  if (mw && n) ratios[`modelc×${w}/node-fixed small-1`] = ratio(mw.rps, n.rps, 2);
}

// the table (stdout)
const head = ["server", "case", "api", "req/s", "p50 ms", "p99 ms", "server µs/req", "req/s ×v1", "CPU ×v1", "req/s ×flask", "CPU ×flask"];
const lines = results.map((r) => [r.server, r.scenario, r.api, r.rps, r.p50, r.p99, r.serverCpuUsPerReq, r.rpsVsV1, r.cpuVsV1, r.rpsVsFlask, r.cpuVsFlask]);
const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i] ?? "").length)));
const row = (cells) => `| ${cells.map((c, i) => String(c ?? "").padEnd(widths[i])).join(" | ")} |`;
process.stdout.write(
  [
    row(head),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...lines.map(row),
    "",
    "CPU ×v1 / ×flask: the other's server CPU per request over this one's (above 1: this one needs less)",
    "",
  ].join("\n"),
);
writeFileSync(
  join(root, "bench", "out", "serve.json"),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      argv: args,
      cores: availableParallelism(),
      loadavg: loadavg(),
      connections,
      grpcChannels,
      grpcClient,
      duration,
      results,
      ratios,
    },
    null,
    2,
  ) + "\n",
);
