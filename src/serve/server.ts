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
import { HttpError, parsePredictBody, predictRows } from "./predict.ts";
import { ServeMetrics } from "./metrics.ts";
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

export async function createServeApp(opts: ServeOptions): Promise<ServeApp> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const metrics = new ServeMetrics({ defaultMetrics: opts.defaultMetrics });
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
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse, t0: bigint) => {
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
          else {
            const parsed = parsePredictBody(await readJson(req, maxBody));
            const out = predictRows(m, parsed);
            metrics.rows.inc(labels, out.rows);
            body = { predictions: out.predictions };
          }
        }
      } else throw new HttpError(404, `no route ${req.method} ${path}`);
    } catch (e) {
      if (e instanceof HttpError) {
        status = e.status;
        body = { error: e.message, ...e.extra };
        if (status === 405) res.setHeader("allow", String(e.extra.allow));
      } else {
        status = 500;
        body = { error: `internal error: ${(e as Error)?.message ?? String(e)}` };
        log(`modelc serve: internal error on ${req.method} ${req.url}: ${(e as Error)?.stack ?? e}`);
      }
    }
    if (text === undefined) text = JSON.stringify(body);
    if (draining) res.setHeader("connection", "close");
    res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
    res.end(text);
    const code = String(status);
    metrics.requests.inc({ ...labels, endpoint, code });
    if (status >= 400) metrics.errors.inc({ ...labels, endpoint, code });
    metrics.latency.observe({ ...labels, endpoint }, Number(process.hrtime.bigint() - t0) / 1e9);
  };

  const server = createServer((req, res) => {
    const t0 = process.hrtime.bigint();
    inFlight++;
    metrics.inFlight.inc();
    res.on("close", () => {
      inFlight--;
      metrics.inFlight.dec();
      if (inFlight === 0 && idle) idle();
    });
    handle(req, res, t0).catch((e) => {
      log(`modelc serve: ${(e as Error)?.stack ?? e}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "internal error" }));
    });
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

function readJson(req: IncomingMessage, maxBody: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"]);
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      // answer now; drain (up to a bound) so the client can read the answer
      let drained = 0;
      req.removeAllListeners("data");
      req.on("data", (c: Buffer) => {
        drained += c.length;
        if (drained > 4 * maxBody) req.destroy();
      });
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
      if (over) return;
      const s = Buffer.concat(parts, size).toString("utf8");
      if (s.trim() === "") return reject(new HttpError(400, "the request body is empty; expected JSON"));
      try {
        resolve(JSON.parse(s));
      } catch (e) {
        reject(new HttpError(400, `malformed JSON: ${(e as Error).message}`));
      }
    });
  });
}

/** The address clients should use for a listening server. */
export function serverUrl(server: Server): string {
  const a = server.address();
  if (a === null || typeof a === "string") throw new Error("the server is not listening on TCP");
  return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
}
