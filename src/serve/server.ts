// `modelc serve`'s HTTP server over a bundle folder, with TensorFlow Serving's REST API:
//
//   GET  /v1/models                                   every model, its versions and default version
//   GET  /v1/models/{name}[/versions/{v}]             model_version_status (state, load errors)
//   GET  /v1/models/{name}[/versions/{v}]/metadata    task, features, classes, outputs
//   POST /v1/models/{name}[/versions/{v}]:predict     {"instances": [[...]|{...}], "output"?: "predict"|"proba"|"raw"}
//                                                     → {"predictions": [...]}
//   GET  /healthz                                     200 while serving, 503 while shutting down
//   GET  /metrics                                     Prometheus text format
//
// and the Open Inference Protocol (KServe v2): its REST API under /v2 (src/serve/v2/rest.ts) and,
// with `grpcPort`, its gRPC service on a port of its own (src/serve/grpc/server.ts), sharing the
// registry, versions, pins, batching and metrics.
//
// Node's own http module (measured against fastify on this API: no slower, no dependency). Errors
// are JSON {"error": "..."} with a 4xx (bad request, unknown model or version, body too large) or
// 503 (version not loaded); nothing a client sends can throw out of a handler.

import { createServer, type Server } from "node:http";
import { Batcher } from "./batcher.ts";
import type { GrpcInference } from "./grpc/server.ts";
import { applyHttpLimits, type HttpLimits, httpLimits, httpServerOptions } from "./httpLimits.ts";
import { InFlight } from "./inFlight.ts";
import { ServeMetrics } from "./metrics.ts";
import { FastPredict } from "./predictRequest.ts";
import { ModelRegistry } from "./registry.ts";
import { watchForReload } from "./reloadWatcher.ts";
import { Replies } from "./reply.ts";
import { Router } from "./router.ts";
import { V2Rest } from "./v2/rest.ts";

export interface ServeOptions {
  dir: string;
  /** pin config file, watched like the bundle */
  configFile?: string;
  pins?: Record<string, string>;
  /** largest request body in bytes (default 8 MiB) */
  maxBodyBytes?: number;
  /** watch the bundle folder and the config file (default true) */
  watch?: boolean;
  log?: (line: string) => void;
  /** overrides how /metrics is produced (the cluster primary's merged registry) */
  metricsText?: () => Promise<{ contentType: string; text: string }>;
  /** Node process metrics (CPU, memory, event loop) in /metrics (default false) */
  defaultMetrics?: boolean;
  /** predict the requests that arrive together in one batch call (default true) */
  batching?: boolean;
  /** the most rows in one batch call (default 256; a larger request is predicted alone) */
  maxBatchRows?: number;
  /** make the Open Inference Protocol's gRPC service (`app.grpc`; listen with app.grpc.listen) */
  grpc?: boolean;
  /** HTTP timeouts and connection limits (httpLimits.ts: DEFAULT_HTTP_LIMITS) */
  http?: Partial<HttpLimits>;
}

export interface ServeApp {
  server: Server;
  registry: ModelRegistry;
  metrics: ServeMetrics;
  /** the gRPC service, with `grpc: true` */
  grpc?: GrpcInference;
  /** re-read the bundle and config now */
  refresh(): Promise<void>;
  /** stop accepting, finish in-flight requests, close; resolves when closed */
  close(timeoutMs?: number): Promise<void>;
}

const DEFAULT_MAX_BODY = 8 << 20;

export async function createServeApp(opts: ServeOptions): Promise<ServeApp> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const requests = new InFlight();
  const metrics = new ServeMetrics({ defaultMetrics: opts.defaultMetrics, inFlight: () => requests.count });
  const registry = new ModelRegistry(opts.dir, {
    configFile: opts.configFile,
    pins: opts.pins,
    log,
    onLoad: (v) => {
      metrics.loadSeconds.set({ model: v.name, version: v.version }, v.loadSeconds);
      metrics.loads.inc({ model: v.name, version: v.version, result: "ok" });
    },
    onLoadError: (model, version) => metrics.loads.inc({ model, version, result: "error" }),
  });
  await registry.refresh();

  const replies = new Replies(requests, metrics, log);
  const batcher = new Batcher(opts.batching !== false, opts.maxBatchRows ?? 256, metrics, replies);
  const fast = new FastPredict(maxBody, batcher, replies);
  const v2 = new V2Rest({ registry, metrics, batcher, requests, maxBody });
  const router = new Router({ registry, metrics, requests, replies, fast, v2, maxBody, metricsText: opts.metricsText, log });
  const limits = httpLimits(opts.http);
  const server = createServer(httpServerOptions(limits), router.dispatch);
  applyHttpLimits(server, limits);
  const watcher = watchForReload(registry, opts, log);
  // loaded only when asked for: serving without gRPC does not load @grpc/grpc-js
  const grpc = opts.grpc ? new (await import("./grpc/server.ts")).GrpcInference({ registry, metrics, batcher, requests, maxBody, log }) : undefined;

  let closing: Promise<void> | undefined;
  const close = (timeoutMs = 10_000): Promise<void> => {
    if (!closing) {
      watcher.close();
      closing = Promise.all([requests.drain(server, timeoutMs, log), grpc?.close(timeoutMs)]).then(() => {});
    }
    return closing;
  };
  return { server, registry, metrics, grpc, refresh: () => registry.refresh(), close };
}

/** The address clients should use for a listening server. */
export function serverUrl(server: Server): string {
  const a = server.address();
  if (a === null || typeof a === "string") throw new Error("the server is not listening on TCP");
  return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
}
