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
// Node's own http module (measured against fastify on this API: no slower, no dependency). Errors
// are JSON {"error": "..."} with a 4xx (bad request, unknown model or version, body too large) or
// 503 (version not loaded); nothing a client sends can throw out of a handler.

import { watch, watchFile, unwatchFile, type FSWatcher } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { HttpError, fastPredictInput, parsePredictBody, predictionsJson, runBatch, toMatrix, type PredictInput } from "./predict.ts";
import { ServeMetrics, type PredictSeries } from "./metrics.ts";
import { ModelRegistry, type LoadedVersion } from "./registry.ts";

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
}

export interface ServeApp {
  server: Server;
  registry: ModelRegistry;
  metrics: ServeMetrics;
  /** re-read the bundle and config now */
  refresh(): Promise<void>;
  /** stop accepting, finish in-flight requests, close; resolves when closed */
  close(timeoutMs?: number): Promise<void>;
}

type Endpoint = "list" | "status" | "metadata" | "predict" | "healthz" | "metrics" | "other";

const DEFAULT_MAX_BODY = 8 << 20;
/** how long one turn of the event loop may spend on queued batches before reading sockets again */
const FLUSH_BUDGET_MS = 5;

export async function createServeApp(opts: ServeOptions): Promise<ServeApp> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  let inFlight = 0;
  const metrics = new ServeMetrics({ defaultMetrics: opts.defaultMetrics, inFlight: () => inFlight });
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

  let draining = false;
  let idle: (() => void) | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse, t0: number) => {
    let endpoint: Endpoint = "other";
    let labels = { model: "", version: "" };
    let status = 200;
    let body: unknown;
    let text: string | undefined;
    let contentType = "application/json";
    try {
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const path = q < 0 ? url : url.slice(0, q);
      if (path === "/healthz") {
        endpoint = "healthz";
        requireMethod(req, "GET");
        if (draining) {
          status = 503;
          body = { status: "shutting down" };
        } else body = { status: "ok", models: registry.names().length };
      } else if (path === "/metrics") {
        endpoint = "metrics";
        requireMethod(req, "GET");
        const m = opts.metricsText ? await opts.metricsText() : { contentType: metrics.registry.contentType, text: await metrics.registry.metrics() };
        contentType = m.contentType;
        text = m.text;
      } else if (path === "/v1/models" || path === "/v1/models/") {
        endpoint = "list";
        requireMethod(req, "GET");
        body = {
          models: registry.names().map((name) => ({
            name,
            default_version: registry.defaultVersion(name) ?? null,
            ...(registry.pinnedVersion(name) !== undefined ? { pinned_version: registry.pinnedVersion(name) } : {}),
            versions: registry.status(name)!.map(tfStatus),
          })),
        };
      } else if (path.startsWith("/v1/models/")) {
        const r = parseModelPath(path.slice("/v1/models/".length));
        if (!r) throw new HttpError(404, `no route ${req.method} ${path}`);
        endpoint = r.action;
        if (!registry.has(r.name)) throw new HttpError(404, `unknown model ${JSON.stringify(r.name)}; known models: ${registry.names().join(", ") || "(none)"}`);
        labels = { model: r.name, version: "" };
        if (r.action === "status") {
          requireMethod(req, "GET");
          const all = registry.status(r.name)!;
          const shown = r.version === undefined ? all : all.filter((s) => s.version === canonical(r.version!));
          if (shown.length === 0) throw new HttpError(404, `model ${JSON.stringify(r.name)} has no version ${JSON.stringify(r.version)}`);
          body = {
            model_version_status: shown.map(tfStatus),
            ...(r.version === undefined ? { default_version: registry.defaultVersion(r.name) ?? null } : {}),
          };
        } else {
          requireMethod(req, r.action === "predict" ? "POST" : "GET");
          const got = registry.get(r.name, r.version);
          if (!got.ok) throw new HttpError(got.status, got.error);
          const m: LoadedVersion = got.model;
          labels = { model: m.name, version: m.version };
          if (r.action === "metadata") body = metadata(m);
          else text = answerPredict(m, await readBodyText(req, maxBody));
        }
      } else throw new HttpError(404, `no route ${req.method} ${path}`);
    } catch (e) {
      status = errorStatus(e, req, res);
      body = errorBody(e, status, req);
      text = undefined;
      contentType = "application/json";
    }
    if (text === undefined) text = JSON.stringify(body);
    send(res, status, contentType, text);
    metrics.record(labels.model, labels.version, endpoint, status, (performance.now() - t0) / 1000);
  };

  const errorStatus = (e: unknown, req: IncomingMessage, res: ServerResponse): number => {
    if (!(e instanceof HttpError)) return 500;
    if (e.status === 405) res.setHeader("allow", String(e.extra.allow));
    return e.status;
  };
  const errorBody = (e: unknown, status: number, req: IncomingMessage): unknown => {
    if (e instanceof HttpError) return { error: e.message, ...e.extra };
    log(`modelc serve: internal error on ${req.method} ${req.url}: ${(e as Error)?.stack ?? e}`);
    return { error: `internal error: ${(e as Error)?.message ?? String(e)}` };
  };
  const send = (res: ServerResponse, status: number, contentType: string, text: string) => {
    // a flat header list: no header object to build and copy
    const headers = draining
      ? ["content-type", contentType, "content-length", String(Buffer.byteLength(text)), "connection", "close"]
      : ["content-type", contentType, "content-length", String(Buffer.byteLength(text))];
    res.writeHead(status, headers);
    res.end(text);
  };

  /** A predict request's body (text) → its rows as one matrix, or throws HttpError. */
  const decodePredict = (m: LoadedVersion, text: string): PredictInput => {
    if (text.length === 0 || text.trim() === "") throw new HttpError(400, "the request body is empty; expected JSON");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new HttpError(400, `malformed JSON: ${(e as Error).message}`);
    }
    // the usual body without zod; anything else (or anything wrong) through zod, which names the problem
    return fastPredictInput(json, m.entry.nFeatures) ?? toMatrix(m, parsePredictBody(json));
  };

  /** A predict request's body (text) → the answer's JSON text, or throws HttpError. */
  const answerPredict = (m: LoadedVersion, text: string): string => {
    const input = decodePredict(m, text);
    const { out, width, labels } = runBatch(m, input.X, input.n, input.output);
    metrics.predictSeries(m).rows.inc(input.n);
    return predictionsJson(out, input.n, width, labels);
  };

  // Batching: the fast path's requests whose bodies complete in the same turn of the event loop
  // (read in one poll phase) are predicted together, one batch call per model version and output,
  // at setImmediate (the same turn: no timer, no added wait). One call over many rows costs less
  // per row than many one-row calls (the trees' nodes stay in the caches across rows), and the
  // answers are the same: each request gets its own rows of the batch's output.
  const batching = opts.batching !== false;
  const maxBatchRows = opts.maxBatchRows ?? 256;
  let queued: Batch[] = [];
  let flushQueued = false;
  const flush = () => {
    flushQueued = false;
    const start = performance.now();
    while (queued.length > 0) {
      const b = queued.shift()!;
      try {
        runQueued(b);
      } catch (e) {
        // nothing thrown here may take the process down: whoever is still waiting gets a 500
        for (const c of b.calls) if (!c.res.headersSent) fastFail(c, e);
      }
      // a long queue (large requests of a large model) is answered over several turns, so that
      // sockets are read in between: request bodies that arrive in pieces are not held up
      if (queued.length > 0 && performance.now() - start > FLUSH_BUDGET_MS) {
        flushQueued = true;
        setImmediate(flush);
        return;
      }
    }
  };
  const enqueue = (c: FastCall, input: PredictInput) => {
    let b: Batch | undefined;
    for (const x of queued) if (x.m === c.m && x.output === input.output && x.rows + input.n <= maxBatchRows) b = x;
    if (!b) queued.push((b = { m: c.m, output: input.output, rows: 0, calls: [], inputs: [] }));
    b.calls.push(c);
    b.inputs.push(input);
    b.rows += input.n;
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  };
  const runQueued = (b: Batch) => {
    const { m, output, calls, inputs } = b;
    const series = metrics.predictSeries(m);
    series.batch.observe(calls.length);
    if (calls.length === 1) return predictOne(calls[0]!, inputs[0]!);
    const nF = m.entry.nFeatures;
    const X = new Float64Array(b.rows * nF);
    for (let i = 0, at = 0; i < inputs.length; i++) {
      X.set(inputs[i]!.X, at);
      at += inputs[i]!.X.length;
    }
    let r: ReturnType<typeof runBatch>;
    try {
      r = runBatch(m, X, b.rows, output);
    } catch {
      // each request on its own, so that each gets its own answer
      for (let i = 0; i < calls.length; i++) predictOne(calls[i]!, inputs[i]!);
      return;
    }
    const { out, width, labels } = r;
    for (let i = 0, row = 0; i < calls.length; i++) {
      const n = inputs[i]!.n;
      answered(calls[i]!, series, n, predictionsJson(out.subarray(row * width, (row + n) * width), n, width, labels));
      row += n;
    }
  };
  const predictOne = (c: FastCall, input: PredictInput) => {
    let text: string;
    try {
      const { out, width, labels } = runBatch(c.m, input.X, input.n, input.output);
      text = predictionsJson(out, input.n, width, labels);
    } catch (e) {
      return fastFail(c, e);
    }
    answered(c, metrics.predictSeries(c.m), input.n, text);
  };
  const answered = (c: FastCall, series: PredictSeries, rows: number, text: string) => {
    send(c.res, 200, "application/json", text);
    series.rows.inc(rows);
    series.ok.inc();
    series.latency.observe((performance.now() - c.t0) / 1000);
  };

  // POST /v1/models/{name}[/versions/{v}]:predict of a loaded model: routed once per URL, the body
  // read with callbacks (no promise), metrics through pre-bound children. Everything else, and
  // every failure before the model is known, goes through `handle`.
  const routes = new Map<string, { name: string; version?: string } | null>();
  const predictRoute = (url: string) => {
    let r = routes.get(url);
    if (r === undefined) {
      const p = url.startsWith("/v1/models/") && url.endsWith(":predict") && !url.includes("?") ? parseModelPath(url.slice("/v1/models/".length)) : undefined;
      r = p && p.action === "predict" ? { name: p.name, version: p.version } : null;
      // URLs are client input: a bounded cache
      if (routes.size >= 1024) routes.clear();
      routes.set(url, r);
    }
    return r;
  };

  const fastPredict = (req: IncomingMessage, res: ServerResponse, t0: number, m: LoadedVersion) => {
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > maxBody) return false;
    const call: FastCall = { req, res, t0, m, first: undefined, parts: undefined, size: 0 };
    (req as FastReq)[FAST] = call;
    req.on("data", onFastData);
    req.on("end", onFastEnd);
    return true;
  };
  function onFastData(this: FastReq, chunk: Buffer) {
    const c = this[FAST]!;
    c.size += chunk.length;
    if (c.first === undefined) c.first = chunk;
    else (c.parts ??= [c.first]).push(chunk);
    if (c.size > maxBody) {
      // over the limit (a chunked body): answer now, then drain up to a bound
      this.removeListener("data", onFastData);
      this.removeListener("end", onFastEnd);
      c.first = c.parts = undefined;
      drainTooLarge(this, maxBody);
      fastFail(c, new HttpError(413, `request body over the limit of ${maxBody} bytes`));
    }
  }
  function onFastEnd(this: FastReq) {
    const c = this[FAST]!;
    this[FAST] = undefined;
    const buf = c.parts ? Buffer.concat(c.parts, c.size) : c.first;
    c.first = c.parts = undefined;
    try {
      const input = decodePredict(c.m, buf === undefined ? "" : buf.toString("utf8"));
      if (batching) enqueue(c, input);
      else {
        metrics.predictSeries(c.m).batch.observe(1);
        predictOne(c, input);
      }
    } catch (e) {
      if (!c.res.headersSent) fastFail(c, e);
    }
  }
  const fastFail = (c: FastCall, e: unknown) => {
    const status = errorStatus(e, c.req, c.res);
    send(c.res, status, "application/json", JSON.stringify(errorBody(e, status, c.req)));
    metrics.record(c.m.name, c.m.version, "predict", status, (performance.now() - c.t0) / 1000);
  };

  const onResClose = () => {
    inFlight--;
    if (inFlight === 0 && idle) idle();
  };
  const onHandleError = (res: ServerResponse) => (e: unknown) => {
    log(`modelc serve: ${(e as Error)?.stack ?? e}`);
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "internal error" }));
  };

  const server = createServer((req, res) => {
    const t0 = performance.now();
    inFlight++;
    res.on("close", onResClose);
    if (req.method === "POST" && !draining) {
      const route = predictRoute(req.url ?? "/");
      if (route) {
        const got = registry.get(route.name, route.version);
        if (got.ok && fastPredict(req, res, t0, got.model)) return;
      }
    }
    handle(req, res, t0).catch(onHandleError(res));
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;

  // watching: the bundle writes manifest.json last (atomically), so it is the signal
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      registry.refresh().catch((e) => log(`modelc serve: reload failed: ${(e as Error).message}`));
    }, 50);
  };
  if (opts.watch !== false) {
    const w = watch(registry.dir, (_event, file) => {
      if (file === null || file === "manifest.json") schedule();
    });
    w.on("error", (e) => log(`modelc serve: watching ${registry.dir} stopped: ${e.message}`));
    watchers.push(w);
    if (opts.configFile) watchFile(opts.configFile, { interval: 200 }, schedule);
  }

  let closing: Promise<void> | undefined;
  const close = (timeoutMs = 10_000): Promise<void> => (closing ??= shutdown(timeoutMs));
  const shutdown = async (timeoutMs: number) => {
    draining = true;
    for (const w of watchers) w.close();
    if (opts.configFile) unwatchFile(opts.configFile);
    if (timer) clearTimeout(timer);
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeIdleConnections();
    const done = inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (idle = r));
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => {
      t = setTimeout(() => {
        log(`modelc serve: ${inFlight} requests still open after ${timeoutMs} ms; closing them`);
        server.closeAllConnections();
        r();
      }, timeoutMs);
    });
    await Promise.race([done, timeout]);
    // keep-alive sockets that finished their last response
    server.closeIdleConnections();
    await Promise.race([closed, timeout]);
    clearTimeout(t);
  };

  return { server, registry, metrics, refresh: () => registry.refresh(), close };
}

function canonical(v: string): string {
  return /^\d{1,18}$/.test(v) ? String(BigInt(v)) : v;
}

function tfStatus(s: { version: string; state: string; error?: string }) {
  return { version: s.version, state: s.state, status: { error_code: s.error ? "UNKNOWN" : "OK", error_message: s.error ?? "" } };
}

function metadata(m: LoadedVersion) {
  const e = m.entry;
  return {
    model_spec: { name: m.name, version: m.version, signature_name: "serving_default" },
    metadata: {
      task: e.task,
      n_features: e.nFeatures,
      features: e.features,
      classes: e.classes,
      outputs: { predict: e.api.predict, raw: e.api.raw, proba: e.api.proba > 0 ? e.api.proba : null },
      meta: e.meta,
      chunk: m.chunk,
      source_sha256: e.sourceHash,
    },
  };
}

/** `{name}[/versions/{v}][:predict|/metadata]`; names may hold `/` (folder bundles). */
function parseModelPath(rest: string): { name: string; version?: string; action: "status" | "metadata" | "predict" } | undefined {
  let action: "status" | "metadata" | "predict" = "status";
  if (rest.endsWith(":predict")) {
    action = "predict";
    rest = rest.slice(0, -":predict".length);
  } else if (rest.endsWith("/metadata")) {
    action = "metadata";
    rest = rest.slice(0, -"/metadata".length);
  }
  let version: string | undefined;
  const m = /^(.+)\/versions\/([^/]+)$/.exec(rest);
  if (m) {
    rest = m[1]!;
    version = m[2]!;
  }
  let name: string;
  try {
    name = decodeURIComponent(rest);
    if (version !== undefined) version = decodeURIComponent(version);
  } catch {
    return undefined;
  }
  if (name === "") return undefined;
  return { name, version, action };
}

function requireMethod(req: IncomingMessage, method: "GET" | "POST") {
  if (req.method !== method && !(method === "GET" && req.method === "HEAD")) throw new HttpError(405, `use ${method} here, not ${req.method}`, { allow: method });
}

const FAST = Symbol("modelc.fastPredict");
interface FastCall {
  req: IncomingMessage;
  res: ServerResponse;
  t0: number;
  m: LoadedVersion;
  first: Buffer | undefined;
  parts: Buffer[] | undefined;
  size: number;
}
type FastReq = IncomingMessage & { [FAST]?: FastCall };
interface Batch {
  m: LoadedVersion;
  output: PredictInput["output"];
  rows: number;
  calls: FastCall[];
  inputs: PredictInput[];
}

/** After a 413: keep reading (and dropping) so the client can read the answer, up to a bound. */
function drainTooLarge(req: IncomingMessage, maxBody: number) {
  let drained = 0;
  req.removeAllListeners("data");
  req.on("data", (c: Buffer) => {
    drained += c.length;
    if (drained > 4 * maxBody) req.destroy();
  });
  req.resume();
}

function readBodyText(req: IncomingMessage, maxBody: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      drainTooLarge(req, maxBody);
      reject(new HttpError(413, `request body over the limit of ${maxBody} bytes`));
    };
    if (Number.isFinite(declared) && declared > maxBody) return tooLarge();
    const parts: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > maxBody) {
        over = true;
        tooLarge();
        return;
      }
      parts.push(c);
    });
    req.on("error", reject);
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(parts, size).toString("utf8"));
    });
  });
}

/** The address clients should use for a listening server. */
export function serverUrl(server: Server): string {
  const a = server.address();
  if (a === null || typeof a === "string") throw new Error("the server is not listening on TCP");
  return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
}
