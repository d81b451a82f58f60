// Prometheus metrics of a `modelc serve` process (prom-client). One Registry per server, so tests
// can run several; under cluster the primary merges the workers' registries (AggregatorRegistry).
// Labels name only models and versions that exist in the bundle: an unknown name in a URL is
// counted under model="" so requests cannot grow the label sets.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<"model" | "version" | "endpoint" | "code">;
  readonly errors: Counter<"model" | "version" | "endpoint" | "code">;
  readonly latency: Histogram<"model" | "version" | "endpoint">;
  readonly rows: Counter<"model" | "version">;
  readonly loadSeconds: Gauge<"model" | "version">;
  readonly loads: Counter<"model" | "version" | "result">;
  readonly inFlight: Gauge;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: "modelc_requests_total", help: "HTTP requests by model, version, endpoint and status code", labelNames: ["model", "version", "endpoint", "code"], registers });
    this.errors = new Counter({ name: "modelc_request_errors_total", help: "HTTP requests answered with a 4xx or 5xx status", labelNames: ["model", "version", "endpoint", "code"], registers });
    this.latency = new Histogram({
      name: "modelc_request_duration_seconds",
      help: "time from the request's arrival to its response, by model, version and endpoint",
      labelNames: ["model", "version", "endpoint"],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.rows = new Counter({ name: "modelc_rows_predicted_total", help: "rows predicted, by model and version", labelNames: ["model", "version"], registers });
    this.loadSeconds = new Gauge({ name: "modelc_model_load_seconds", help: "time the model version's current chunk took to import", labelNames: ["model", "version"], registers, aggregator: "max" });
    this.loads = new Counter({ name: "modelc_model_loads_total", help: "chunk imports, by result (ok, error)", labelNames: ["model", "version", "result"], registers });
    this.inFlight = new Gauge({ name: "modelc_requests_in_flight", help: "requests being answered", registers });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: "modelc_" });
  }
}
