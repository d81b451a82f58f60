// `modelc serve`'s processes: one server, or a node:cluster primary and workers that share the port.

import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type RegistryContentType } from "prom-client";
import { CompileError } from "../errors.ts";
import type { HttpLimits } from "./httpLimits.ts";
import { reloadOnSighup } from "./reloadWatcher.ts";
import { createServeApp, serverUrl } from "./server.ts";

export interface ServeProcessOptions {
  /** absolute */
  bundleDir: string;
  configFile?: string;
  pins: Record<string, string>;
  maxBodyBytes: number;
  port: number;
  /** the Open Inference Protocol's gRPC service on this port; undefined: none */
  grpcPort?: number;
  host: string;
  workers: number;
  watch: boolean;
  batching: boolean;
  http?: Partial<HttpLimits>;
}

const METRICS_ASK = "modelc:metrics?";
const METRICS_REPLY = "modelc:metrics!";

type MetricsText = { contentType: string; text: string };

/**
 * Serves until SIGTERM or SIGINT (stop accepting, finish in-flight requests); resolves with the exit
 * code. SIGHUP re-reads the bundle and config now. Each worker loads and watches the bundle itself;
 * /metrics on any of them answers for all (merged by the primary's AggregatorRegistry).
 */
export function serveProcesses(o: ServeProcessOptions): Promise<number> {
  if (o.workers > 1 && cluster.isPrimary) return runPrimary(o);
  if (cluster.isWorker) {
    // a worker's IPC channel keeps it alive after main() returns: exit on a failed start
    return serveOne(o).catch((e: unknown) => {
      process.stderr.write(`${logPrefix()}: ${e instanceof CompileError ? e.toLine() : (e as Error).message}\n`);
      process.exit(2);
    });
  }
  return serveOne(o);
}

const logPrefix = () => (cluster.isWorker ? `modelc serve [worker ${cluster.worker!.id}]` : "modelc serve");

function onStopSignal(stop: () => void): void {
  // `on`, not `once`: a second signal must not kill the process while it drains
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** One process serving: a cluster worker, or --workers 1. */
async function serveOne(o: ServeProcessOptions): Promise<number> {
  const isWorker = cluster.isWorker;
  const prefix = logPrefix();
  const log = (l: string) => process.stderr.write(l.replace(/^modelc serve/, prefix) + "\n");
  const app = await createServeApp({
    dir: o.bundleDir,
    configFile: o.configFile,
    pins: o.pins,
    maxBodyBytes: o.maxBodyBytes,
    watch: o.watch,
    batching: o.batching,
    http: o.http,
    log,
    metricsText: isWorker ? askPrimaryForMetrics() : undefined,
    defaultMetrics: true,
    grpc: o.grpcPort !== undefined,
  });
  if (isWorker) {
    AggregatorRegistry.setRegistries([app.metrics.registry]);
    new AggregatorRegistry(); // its constructor adds the worker's listener for the primary's requests
  }
  await new Promise<void>((r, j) => {
    app.server.once("error", (e) => {
      void app.close(0);
      j(new CompileError("E_IO", `cannot listen on ${o.host}:${o.port}: ${e.message}`));
    });
    app.server.listen(o.port, o.host, r);
  });
  let grpcNote = "";
  if (app.grpc && o.grpcPort !== undefined) {
    try {
      grpcNote = `; gRPC on ${o.host}:${await app.grpc.listen(o.grpcPort, o.host)}`;
    } catch (e) {
      await app.close(0);
      throw new CompileError("E_IO", `cannot listen for gRPC on ${o.host}:${o.grpcPort}: ${(e as Error).message}`);
    }
  }
  if (!isWorker) log(`modelc serve: ${app.registry.names().length} models from ${o.bundleDir}; listening on ${serverUrl(app.server)}${grpcNote}`);
  reloadOnSighup(() => app.refresh(), log);
  return new Promise<number>((done) => {
    let stopping = false;
    onStopSignal(() => {
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
    });
  });
}

/** A worker's /metrics: the primary's merge of every worker's registry, asked for over IPC. */
function askPrimaryForMetrics(): () => Promise<MetricsText> {
  const pending = new Map<number, (m: MetricsText) => void>();
  let next = 0;
  process.on("message", (msg: { type?: string; id?: number; text?: string; contentType?: string }) => {
    if (msg?.type === METRICS_REPLY && pending.has(msg.id!)) {
      pending.get(msg.id!)!({ contentType: msg.contentType!, text: msg.text! });
      pending.delete(msg.id!);
    }
  });
  return () =>
    new Promise((r) => {
      const id = ++next;
      pending.set(id, r);
      process.send!({ type: METRICS_ASK, id });
    });
}

function answerMetricsAsks(w: Worker, aggregator: AggregatorRegistry<RegistryContentType>): void {
  w.on("message", (msg: { type?: string; id?: number }) => {
    if (msg?.type !== METRICS_ASK) return;
    aggregator.clusterMetrics().then(
      (text) => w.isConnected() && w.send({ type: METRICS_REPLY, id: msg.id, text, contentType: aggregator.contentType }),
      (e: Error) => w.isConnected() && w.send({ type: METRICS_REPLY, id: msg.id, text: `# metrics failed: ${e.message}\n`, contentType: "text/plain" }),
    );
  });
}

/** The primary: forks `o.workers` workers, replaces one that dies after it served, forwards signals. */
async function runPrimary(o: ServeProcessOptions): Promise<number> {
  const n = o.workers;
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const live = new Set<Worker>();
  let announced = false;
  const fork = () => {
    const w = cluster.fork();
    live.add(w);
    answerMetricsAsks(w, aggregator);
    let listened = false;
    w.on("listening", (a) => {
      listened = true;
      if (announced) return;
      announced = true;
      const host = a.address ?? o.host;
      process.stderr.write(
        `modelc serve: ${o.bundleDir}; listening on http://${host.includes(":") ? `[${host}]` : host}:${a.port}${o.grpcPort !== undefined ? `, gRPC on port ${o.grpcPort}` : ""} (${n} workers)\n`,
      );
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
    onStopSignal(() => stopAll(0));
  });
  for (let i = 0; i < n; i++) fork();
  process.on("SIGHUP", () => {
    for (const w of live) w.process.kill("SIGHUP");
  });
  return finished;
}
