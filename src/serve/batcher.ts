// Micro-batching: fast-path predict requests whose bodies complete in one event-loop turn share a batch call.

import type { ServeMetrics } from "./metrics.ts";
import { predictionsJson, runBatch, type PredictInput } from "./predict.ts";
import type { LoadedVersion } from "./registry.ts";
import type { PendingPredict, Replies } from "./reply.ts";

/** how long one turn of the event loop may spend on queued batches before reading sockets again */
const FLUSH_BUDGET_MS = 5;

/** A request of the v2 REST and gRPC APIs waiting in a batch: called back with a copy of its rows of the output. */
export interface BatchCallback {
  m: LoadedVersion;
  done(out: Float64Array, width: number, labels: readonly (number | string)[] | undefined): void;
  failed(e: unknown): void;
}

type Waiting = PendingPredict | BatchCallback;

interface Batch {
  m: LoadedVersion;
  output: PredictInput["output"];
  rows: number;
  calls: Waiting[];
  inputs: PredictInput[];
}

/**
 * One batch per model version and output, flushed at setImmediate: the same turn, so no timer and no
 * added wait. One call over many rows costs less per row than many one-row calls (the trees' nodes
 * stay in the caches), and each request still gets exactly its own rows of the output.
 */
export class Batcher {
  private readonly queued: Batch[] = [];
  private flushQueued = false;

  constructor(
    /** false: each request is predicted on its own, at once */
    private readonly enabled: boolean,
    /** a larger request is predicted alone */
    private readonly maxRows: number,
    private readonly metrics: ServeMetrics,
    private readonly replies: Replies,
  ) {}

  /** Predicts a decoded request and answers it (a callback: calls it back), now or in this turn's batch. */
  submit(c: Waiting, input: PredictInput): void {
    if (!this.enabled) {
      this.metrics.predictSeries(c.m).batch.observe(1);
      this.predictOne(c, input);
      return;
    }
    let b: Batch | undefined;
    const columnar = input.columns !== undefined;
    for (const x of this.queued)
      if (x.m === c.m && x.output === input.output && x.rows + input.n <= this.maxRows && (x.inputs[0]!.columns !== undefined) === columnar) b = x;
    if (!b) this.queued.push((b = { m: c.m, output: input.output, rows: 0, calls: [], inputs: [] }));
    b.calls.push(c);
    b.inputs.push(input);
    b.rows += input.n;
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = () => {
    this.flushQueued = false;
    const start = performance.now();
    while (this.queued.length > 0) {
      const b = this.queued.shift()!;
      try {
        this.run(b);
      } catch (e) {
        // nothing thrown here may take the process down: whoever is still waiting gets a 500
        for (const c of b.calls) this.fail(c, e);
      }
      // a long queue (large requests of a large model) is answered over several turns, so that
      // request bodies arriving in pieces are read in between
      if (this.queued.length > 0 && performance.now() - start > FLUSH_BUDGET_MS) {
        this.flushQueued = true;
        setImmediate(this.flush);
        return;
      }
    }
  };

  private run(b: Batch): void {
    const { m, output, calls, inputs } = b;
    const series = this.metrics.predictSeries(m);
    series.batch.observe(calls.length);
    if (calls.length === 1) {
      this.predictOne(calls[0]!, inputs[0]!);
      return;
    }
    const nF = m.entry.nFeatures;
    // table models with string columns: the requests' rows side by side, as sent (v1 rows, or v2 columns)
    const columnar = inputs[0]!.columns !== undefined;
    const table = inputs[0]!.rows !== undefined || columnar;
    const X = new Float64Array(table ? 0 : b.rows * nF);
    if (!table)
      for (let i = 0, at = 0; i < inputs.length; i++) {
        X.set(inputs[i]!.X, at);
        at += inputs[i]!.X.length;
      }
    let r: ReturnType<typeof runBatch>;
    try {
      r = runBatch(m, X, b.rows, output, columnar ? joinColumns(inputs) : table ? inputs.flatMap((i) => i.rows!) : undefined);
    } catch {
      // each request on its own, so that each gets its own answer
      for (let i = 0; i < calls.length; i++) this.predictOne(calls[i]!, inputs[i]!);
      return;
    }
    const { out, width, labels } = r;
    for (let i = 0, row = 0; i < calls.length; i++) {
      const n = inputs[i]!.n;
      const c = calls[i]!;
      const mine = out.subarray(row * width, (row + n) * width);
      if ("done" in c) c.done(mine.slice(), width, labels);
      else this.replies.predicted(c, series, n, predictionsJson(mine, n, width, labels));
      row += n;
    }
  }

  private predictOne(c: Waiting, input: PredictInput): void {
    let r: ReturnType<typeof runBatch>;
    let text = "";
    try {
      r = runBatch(c.m, input.X, input.n, input.output, input.columns ?? input.rows);
      if (!("done" in c)) text = predictionsJson(r.out, input.n, r.width, r.labels);
    } catch (e) {
      this.fail(c, e);
      return;
    }
    if ("done" in c) c.done(r.out.slice(), r.width, r.labels);
    else this.replies.predicted(c, this.metrics.predictSeries(c.m), input.n, text);
  }

  private fail(c: Waiting, e: unknown): void {
    if ("done" in c) c.failed(e);
    else if (!c.res.headersSent) this.replies.predictFailed(c, e);
  }
}

/** The column batches of several requests as one (each column's values one after the other). */
function joinColumns(inputs: PredictInput[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = Object.create(null);
  for (const k of Object.keys(inputs[0]!.columns!)) out[k] = inputs.flatMap((i) => i.columns![k]!);
  return out;
}
