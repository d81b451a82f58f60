// Micro-batching: fast-path predict requests whose bodies complete in one event-loop turn share a batch call.

import type { ServeMetrics } from "./metrics.ts";
import { predictionsJson, runBatch, type PredictInput } from "./predict.ts";
import type { LoadedVersion } from "./registry.ts";
import type { PendingPredict, Replies } from "./reply.ts";

/** how long one turn of the event loop may spend on queued batches before reading sockets again */
const FLUSH_BUDGET_MS = 5;

interface Batch {
  m: LoadedVersion;
  output: PredictInput["output"];
  rows: number;
  calls: PendingPredict[];
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

  /** Predicts a decoded request and answers it, now or in this turn's batch. */
  submit(c: PendingPredict, input: PredictInput): void {
    if (!this.enabled) {
      this.metrics.predictSeries(c.m).batch.observe(1);
      this.predictOne(c, input);
      return;
    }
    let b: Batch | undefined;
    for (const x of this.queued) if (x.m === c.m && x.output === input.output && x.rows + input.n <= this.maxRows) b = x;
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
        for (const c of b.calls) if (!c.res.headersSent) this.replies.predictFailed(c, e);
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
      for (let i = 0; i < calls.length; i++) this.predictOne(calls[i]!, inputs[i]!);
      return;
    }
    const { out, width, labels } = r;
    for (let i = 0, row = 0; i < calls.length; i++) {
      const n = inputs[i]!.n;
      this.replies.predicted(calls[i]!, series, n, predictionsJson(out.subarray(row * width, (row + n) * width), n, width, labels));
      row += n;
    }
  }

  private predictOne(c: PendingPredict, input: PredictInput): void {
    let text: string;
    try {
      const { out, width, labels } = runBatch(c.m, input.X, input.n, input.output);
      text = predictionsJson(out, input.n, width, labels);
    } catch (e) {
      this.replies.predictFailed(c, e);
      return;
    }
    this.replies.predicted(c, this.metrics.predictSeries(c.m), input.n, text);
  }
}
