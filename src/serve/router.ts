// Dispatch: a loaded model's POST :predict to the fast path; /v1/models..., /healthz, /metrics and every failure to `handle`.

import type { IncomingMessage, ServerResponse } from "node:http";
import { readBodyText } from "./body.ts";
import type { InFlight } from "./inFlight.ts";
import type { ServeMetrics } from "./metrics.ts";
import { HttpError } from "./predict.ts";
import { answerPredict, type FastPredict } from "./predictRequest.ts";
import { canonicalVersion, type LoadedVersion, type ModelRegistry } from "./registry.ts";
import type { Replies } from "./reply.ts";
import { isV2Path, type V2Labels, type V2Rest } from "./v2/rest.ts";

/** v1's endpoints; the v2 API's are named `v2_*` */
type Endpoint = "list" | "status" | "metadata" | "predict" | "healthz" | "metrics" | "other" | (string & {});

export interface RouterDeps {
  registry: ModelRegistry;
  metrics: ServeMetrics;
  requests: InFlight;
  replies: Replies;
  fast: FastPredict;
  /** the Open Inference Protocol's REST API (/v2/...) */
  v2: V2Rest;
  maxBody: number;
  /** overrides how /metrics is produced (the cluster primary's merged registry) */
  metricsText?: () => Promise<{ contentType: string; text: string }>;
  log: (line: string) => void;
}

export class Router {
  /** the fast path's routes, parsed once per URL */
  private readonly routes = new Map<string, { name: string; version?: string } | null>();

  constructor(private readonly d: RouterDeps) {}

  /** The server's request listener. */
  readonly dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    const t0 = performance.now();
    const { registry, requests } = this.d;
    requests.track(res);
    if (req.method === "POST" && !requests.draining) {
      const route = this.predictRoute(req.url ?? "/");
      if (route) {
        const got = registry.get(route.name, route.version);
        if (got.ok && this.d.fast.start(req, res, t0, got.model)) return;
      }
    }
    this.handle(req, res, t0).catch(this.onHandleError(res));
  };

  private predictRoute(url: string) {
    let r = this.routes.get(url);
    if (r === undefined) {
      const p = url.startsWith("/v1/models/") && url.endsWith(":predict") && !url.includes("?") ? parseModelPath(url.slice("/v1/models/".length)) : undefined;
      r = p && p.action === "predict" ? { name: p.name, version: p.version } : null;
      // URLs are client input: a bounded cache
      if (this.routes.size >= 1024) this.routes.clear();
      this.routes.set(url, r);
    }
    return r;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, t0: number): Promise<void> {
    const { registry, metrics, replies } = this.d;
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
        if (this.d.requests.draining) {
          status = 503;
          body = { status: "shutting down" };
        } else body = { status: "ok", models: registry.names().length };
      } else if (path === "/metrics") {
        endpoint = "metrics";
        requireMethod(req, "GET");
        const m = this.d.metricsText ? await this.d.metricsText() : { contentType: metrics.registry.contentType, text: await metrics.registry.metrics() };
        contentType = m.contentType;
        text = m.text;
      } else if (isV2Path(path)) {
        const at: V2Labels = { endpoint: "other", model: "", version: "" };
        try {
          ({ status, text } = await this.d.v2.answer(req, path, at));
        } finally {
          endpoint = at.endpoint;
          labels = { model: at.model, version: at.version };
        }
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
        if (!registry.has(r.name))
          throw new HttpError(404, `unknown model ${JSON.stringify(r.name)}; known models: ${registry.names().join(", ") || "(none)"}`);
        labels = { model: r.name, version: "" };
        if (r.action === "status") {
          requireMethod(req, "GET");
          const all = registry.status(r.name)!;
          const shown = r.version === undefined ? all : all.filter((s) => s.version === canonicalVersion(r.version!));
          if (shown.length === 0) throw new HttpError(404, `model ${JSON.stringify(r.name)} has no version ${JSON.stringify(r.version)}`);
          // exactly TensorFlow Serving's GetModelStatusResponse (the default version is in GET /v1/models)
          body = { model_version_status: shown.map(tfStatus) };
        } else {
          requireMethod(req, r.action === "predict" ? "POST" : "GET");
          const got = registry.get(r.name, r.version);
          if (!got.ok) throw new HttpError(got.status, got.error);
          const m: LoadedVersion = got.model;
          labels = { model: m.name, version: m.version };
          if (r.action === "metadata") body = metadata(m);
          else text = answerPredict(m, await readBodyText(req, this.d.maxBody), metrics);
        }
      } else throw new HttpError(404, `no route ${req.method} ${path}`);
    } catch (e) {
      status = replies.errorStatus(e, res);
      text = replies.errorText(e, req);
      contentType = "application/json";
    }
    if (text === undefined) text = JSON.stringify(body);
    replies.send(res, status, contentType, text);
    metrics.record(labels.model, labels.version, endpoint, status, (performance.now() - t0) / 1000);
  }

  private onHandleError(res: ServerResponse) {
    return (e: unknown) => {
      this.d.log(`modelc serve: ${(e as Error)?.stack ?? e}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "internal error" }));
    };
  }
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
  if (req.method !== method && !(method === "GET" && req.method === "HEAD"))
    throw new HttpError(405, `use ${method} here, not ${req.method}`, { allow: method });
}
