// Sending answers: the flat-header response, errors as JSON, and a fast-path predict's metrics.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { PredictSeries, ServeMetrics } from "./metrics.ts";
import { HttpError } from "./predict.ts";
import type { LoadedVersion } from "./registry.ts";

/** A fast-path predict request waiting for its answer. */
export interface PendingPredict {
  req: IncomingMessage;
  res: ServerResponse;
  t0: number;
  m: LoadedVersion;
}

export class Replies {
  constructor(
    /** while draining, each answer closes its connection */
    private readonly state: { readonly draining: boolean },
    private readonly metrics: ServeMetrics,
    private readonly log: (line: string) => void,
  ) {}

  send(res: ServerResponse, status: number, contentType: string, text: string): void {
    // a flat header list: no header object to build and copy
    const headers = this.state.draining
      ? ["content-type", contentType, "content-length", String(Buffer.byteLength(text)), "connection", "close"]
      : ["content-type", contentType, "content-length", String(Buffer.byteLength(text))];
    res.writeHead(status, headers);
    res.end(text);
  }

  /** The status answering `e`: an HttpError's own, else 500. */
  errorStatus(e: unknown, res: ServerResponse): number {
    if (!(e instanceof HttpError)) return 500;
    if (e.status === 405) res.setHeader("allow", String(e.extra.allow));
    return e.status;
  }

  /** The JSON answer to `e`; anything but an HttpError is a bug, so it is logged. */
  errorText(e: unknown, req: IncomingMessage): string {
    if (e instanceof HttpError) return JSON.stringify({ error: e.message, ...e.extra });
    this.log(`modelc serve: internal error on ${req.method} ${req.url}: ${(e as Error)?.stack ?? e}`);
    return JSON.stringify({ error: `internal error: ${(e as Error)?.message ?? String(e)}` });
  }

  predicted(c: PendingPredict, series: PredictSeries, rows: number, text: string): void {
    this.send(c.res, 200, "application/json", text);
    series.rows.inc(rows);
    series.ok.inc();
    series.latency.observe((performance.now() - c.t0) / 1000);
  }

  predictFailed(c: PendingPredict, e: unknown): void {
    const status = this.errorStatus(e, c.res);
    this.send(c.res, status, "application/json", this.errorText(e, c.req));
    this.metrics.record(c.m.name, c.m.version, "predict", status, (performance.now() - c.t0) / 1000);
  }
}
