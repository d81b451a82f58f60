// Prometheus metrics of a `modelc serve` process (prom-client). One Registry per server, so tests
// can run several; under cluster the primary merges the workers' registries (AggregatorRegistry).
// Labels name only models and versions that exist in the bundle: an unknown name in a URL is
// counted under model="" so requests cannot grow the label sets.
//
// The request path uses children bound to their labels once (per model version for predict), so
// a request does not hash label objects; the in-flight gauge is read when scraped.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The series a successful predict request of one model version updates. */
export interface PredictSeries {
  ok: { inc(value?: number): void };
  rows: { inc(value?: number): void };
  latency: { observe(value: number): void };
  /** requests per batch call */
  batch: { observe(value: number): void };
}

type Endpoint = string;

export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<"model" | "version" | "endpoint" | "code">;
  readonly errors: Counter<"model" | "version" | "endpoint" | "code">;
  readonly latency: Histogram<"model" | "version" | "endpoint">;
  readonly rows: Counter<"model" | "version">;
  readonly batchRequests: Histogram<"model" | "version">;
  readonly loadSeconds: Gauge<"model" | "version">;
  readonly loads: Counter<"model" | "version" | "result">;
  readonly inFlight: Gauge;
  private readonly predict = new WeakMap<object, PredictSeries>();
  private readonly bound = new Map<string, { requests: PredictSeries["ok"]; errors?: PredictSeries["ok"]; latency: PredictSeries["latency"] }>();

  /** `inFlight()`: the number of requests being answered, read at each scrape. */
  constructor(opts: { defaultMetrics?: boolean; inFlight?: () => number } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: "modelc_requests_total",
      help: "HTTP requests by model, version, endpoint and status code",
      labelNames: ["model", "version", "endpoint", "code"],
      registers,
    });
    this.errors = new Counter({
      name: "modelc_request_errors_total",
      help: "HTTP requests answered with a 4xx or 5xx status",
      labelNames: ["model", "version", "endpoint", "code"],
      registers,
    });
    this.latency = new Histogram({
      name: "modelc_request_duration_seconds",
      help: "time from the request's arrival to its response, by model, version and endpoint",
      labelNames: ["model", "version", "endpoint"],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.rows = new Counter({ name: "modelc_rows_predicted_total", help: "rows predicted, by model and version", labelNames: ["model", "version"], registers });
    this.batchRequests = new Histogram({
      name: "modelc_batch_requests",
      help: "predict requests answered by one batch call of the model, by model and version",
      labelNames: ["model", "version"],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    this.loadSeconds = new Gauge({
      name: "modelc_model_load_seconds",
      help: "time the model version's current chunk took to import",
      labelNames: ["model", "version"],
      registers,
      aggregator: "max",
    });
    this.loads = new Counter({
      name: "modelc_model_loads_total",
      help: "chunk imports, by result (ok, error)",
      labelNames: ["model", "version", "result"],
      registers,
    });
    const inFlight = opts.inFlight;
    this.inFlight = new Gauge({
      name: "modelc_requests_in_flight",
      help: "requests being answered",
      registers,
      ...(inFlight
        ? {
            collect(this: Gauge) {
              this.set(inFlight());
            },
          }
        : {}),
    });
    // the standard names (process_*, nodejs_*), so that stock dashboards work; modelc's own series are modelc_*
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts a finished request: requests (and errors) by code, and its latency. */
  record(model: string, version: string, endpoint: Endpoint, status: number, seconds: number): void {
    const key = `${model}\0${version}\0${endpoint}\0${status}`;
    let b = this.bound.get(key);
    if (!b) {
      const code = String(status);
      b = {
        requests: this.requests.labels({ model, version, endpoint, code }),
        errors: status >= 400 ? this.errors.labels({ model, version, endpoint, code }) : undefined,
        latency: this.latency.labels({ model, version, endpoint }),
      };
      // label values come from the bundle's names and a fixed set of endpoints and codes; a
      // bound on the cache anyway
      if (this.bound.size >= 4096) this.bound.clear();
      this.bound.set(key, b);
    }
    b.requests.inc();
    b.errors?.inc();
    b.latency.observe(seconds);
  }

  /** The bound series of a model version's successful predictions (one object per loaded chunk). */
  predictSeries(m: { name: string; version: string }): PredictSeries {
    let s = this.predict.get(m);
    if (!s) {
      const labels = { model: m.name, version: m.version };
      s = {
        ok: this.requests.labels({ ...labels, endpoint: "predict", code: "200" }),
        rows: this.rows.labels(labels),
        latency: this.latency.labels({ ...labels, endpoint: "predict" }),
        batch: this.batchRequests.labels(labels),
      };
      this.predict.set(m, s);
    }
    return s;
  }
}
