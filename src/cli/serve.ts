// `modelc serve <bundle-dir>`: the prediction server (src/serve/) on every core. With more than one
// worker the primary process forks workers (node:cluster) that share the listening socket; each
// loads and watches the bundle itself. /metrics on any worker answers with the metrics of all of
// them (the primary merges them with prom-client's AggregatorRegistry). SIGTERM (or SIGINT): stop
// accepting, finish in-flight requests, exit 0. SIGHUP: re-read the bundle and config now.

import cluster, { type Worker } from "node:cluster";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { Option, type Command } from "commander";
import { AggregatorRegistry } from "prom-client";
import { CompileError } from "../errors.ts";
import { createServeApp, serverUrl } from "../serve/server.ts";

export interface ServeCliOptions {
  port: string;
  host: string;
  workers?: string;
  config?: string;
  pin?: string[];
  maxBody: string;
  watch: boolean;
  batching: boolean;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(s.trim());
  if (!m) throw new CompileError("E_USAGE", `--max-body expects a size such as 8mb or 65536, got ${JSON.stringify(s)}`);
  const mult = { b: 1, k: 1024, kb: 1024, m: 1 << 20, mb: 1 << 20, g: 1 << 30, gb: 1 << 30 }[(m[2] ?? "b").toLowerCase()]!;
  return Math.floor(Number(m[1]) * mult);
}

function parsePins(list: string[] | undefined): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const p of list ?? []) {
    const m = /^(.+)@(\d+)$/.exec(p);
    if (!m) throw new CompileError("E_USAGE", `--pin expects NAME@VERSION, got ${JSON.stringify(p)}`);
    pins[m[1]!] = String(BigInt(m[2]!));
  }
  return pins;
}

const METRICS_ASK = "modelc:metrics?";
const METRICS_REPLY = "modelc:metrics!";

export async function runServe(dir: string, opts: ServeCliOptions): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CompileError("E_USAGE", `--port expects 0..65535, got ${JSON.stringify(opts.port)}`);
  const maxBodyBytes = parseSize(opts.maxBody);
  const pins = parsePins(opts.pin);
  const workers = opts.workers === undefined ? availableParallelism() : Number(opts.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new CompileError("E_USAGE", `--workers expects a whole number ≥ 1, got ${JSON.stringify(opts.workers)}`);
  const bundleDir = resolve(dir);
  if (!existsSync(join(bundleDir, "manifest.json")))
    throw new CompileError("E_IO", "no manifest.json here: not a modelc bundle", { file: dir }, "build one with `modelc bundle <models> -o <dir>`");
  const configFile = opts.config ? resolve(opts.config) : undefined;

  if (workers > 1 && cluster.isPrimary) return runPrimary(workers);
  if (cluster.isWorker) {
    // a worker's IPC channel keeps it alive after main() returns: exit on a failed start
    return serveOne().catch((e: unknown) => {
      process.stderr.write(`modelc serve [worker ${cluster.worker!.id}]: ${e instanceof CompileError ? e.toLine() : (e as Error).message}\n`);
      process.exit(2);
    });
  }
  return serveOne();

  async function serveOne(): Promise<number> {

  // one process serving (a cluster worker, or --workers 1)
  const isWorker = cluster.isWorker;
  const prefix = isWorker ? `modelc serve [worker ${cluster.worker!.id}]` : "modelc serve";
  const log = (l: string) => process.stderr.write(l.replace(/^modelc serve/, prefix) + "\n");
  let metricsText: (() => Promise<{ contentType: string; text: string }>) | undefined;
  if (isWorker) {
    const pending = new Map<number, (m: { contentType: string; text: string }) => void>();
    let next = 0;
    process.on("message", (msg: { type?: string; id?: number; text?: string; contentType?: string }) => {
      if (msg?.type === METRICS_REPLY && pending.has(msg.id!)) {
        pending.get(msg.id!)!({ contentType: msg.contentType!, text: msg.text! });
        pending.delete(msg.id!);
      }
    });
    metricsText = () =>
      new Promise((r) => {
        const id = ++next;
        pending.set(id, r);
        process.send!({ type: METRICS_ASK, id });
      });
  }
  const app = await createServeApp({ dir: bundleDir, configFile, pins, maxBodyBytes, watch: opts.watch, batching: opts.batching, log, metricsText, defaultMetrics: true });
  if (isWorker) {
    AggregatorRegistry.setRegistries([app.metrics.registry]);
    new AggregatorRegistry(); // its constructor adds the worker's listener for the primary's requests
  }
  await new Promise<void>((r, j) => {
    app.server.once("error", (e) => {
      void app.close(0);
      j(new CompileError("E_IO", `cannot listen on ${opts.host}:${port}: ${e.message}`));
    });
    app.server.listen(port, opts.host, r);
  });
  if (!isWorker) log(`modelc serve: ${app.registry.names().length} models from ${bundleDir}; listening on ${serverUrl(app.server)}`);
  process.on("SIGHUP", () => void app.refresh().catch((e) => log(`modelc serve: reload failed: ${(e as Error).message}`)));
  return new Promise<number>((done) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      const exit = (code: number) => {
        done(code);
        // a cluster worker's IPC channel (or a stray handle) must not keep the process up
        setTimeout(() => process.exit(code), 200).unref();
      };
      app.close().then(
        () => exit(0),
        () => exit(1),
      );
    };
    // `on`, not `once`: a second signal must not kill the process while it drains
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  }

  async function runPrimary(n: number): Promise<number> {
    const aggregator = new AggregatorRegistry();
    let stopping = false;
    const live = new Set<Worker>();
    let announced = false;
    const fork = () => {
      const w = cluster.fork();
      live.add(w);
      w.on("message", (msg: { type?: string; id?: number }) => {
        if (msg?.type !== METRICS_ASK) return;
        aggregator.clusterMetrics().then(
          (text) => w.isConnected() && w.send({ type: METRICS_REPLY, id: msg.id, text, contentType: aggregator.contentType }),
          (e: Error) => w.isConnected() && w.send({ type: METRICS_REPLY, id: msg.id, text: `# metrics failed: ${e.message}\n`, contentType: "text/plain" }),
        );
      });
      let listened = false;
      w.on("listening", (a) => {
        listened = true;
        if (announced) return;
        announced = true;
        const host = a.address ?? opts.host;
        process.stderr.write(`modelc serve: ${bundleDir}; listening on http://${host.includes(":") ? `[${host}]` : host}:${a.port} (${n} workers)\n`);
      });
      w.on("exit", (code, signal) => {
        live.delete(w);
        if (stopping) return;
        if (!listened) {
          // it never served (bad bundle, port in use): starting another would fail the same way
          process.stderr.write(`modelc serve: worker ${w.id} exited (${signal ?? code}) before listening; stopping\n`);
          stopAll(1);
          return;
        }
        process.stderr.write(`modelc serve: worker ${w.id} exited (${signal ?? code}); starting another\n`);
        setTimeout(fork, 500);
      });
    };
    let stopAll: (code: number) => void = () => {};
    const finished = new Promise<number>((done) => {
      stopAll = (code: number) => {
        if (stopping) return;
        stopping = true;
        if (live.size === 0) return done(code);
        let failed = code !== 0;
        for (const w of live) {
          w.on("exit", (c, signal) => {
            // a worker still starting dies of the SIGTERM itself: a clean stop too
            if (c !== 0 && signal !== "SIGTERM") failed = true;
            if (live.size === 0) done(failed ? 1 : 0);
          });
          w.process.kill("SIGTERM");
        }
      };
      process.on("SIGTERM", () => stopAll(0));
      process.on("SIGINT", () => stopAll(0));
    });
    for (let i = 0; i < n; i++) fork();
    process.on("SIGHUP", () => {
      for (const w of live) w.process.kill("SIGHUP");
    });
    return finished;
  }
}

export function defineServeCommand(cmd: Command, setExitCode: (code: number) => void): Command {
  return cmd
    .description("serve a bundle over HTTP with TensorFlow Serving's REST API (predict, status, metadata, /metrics, /healthz)")
    .argument("<bundle-dir>", "a folder built by `modelc bundle`")
    .option("-p, --port <port>", "TCP port (0: any free port)", "8501")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("-w, --workers <n>", "processes serving (default: one per core)")
    .option("--config <file>", 'pins, re-read on change: {"models": {"<name>": {"version": "<v>"}}}')
    .option("--pin <name@version>", "serve this version by default (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option("--max-body <size>", "largest request body", "8mb")
    .addOption(new Option("--no-watch", "do not watch the bundle folder and config (reload on SIGHUP only)"))
    .addOption(new Option("--no-batching", "predict each request on its own (default: requests that arrive together share one batch call)"))
    .action(async (dir: string, opts: ServeCliOptions) => {
      setExitCode(await runServe(dir, opts));
    });
}
