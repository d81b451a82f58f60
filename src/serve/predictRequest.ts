// A predict request's body to its answer: the fast path (shared callbacks, then the batcher) and the general one.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Batcher } from "./batcher.ts";
import { bodyReader, type BodyState } from "./body.ts";
import type { ServeMetrics } from "./metrics.ts";
import { HttpError, fastPredictInput, parsePredictBody, predictionsJson, runBatch, takesStrings, toMatrix, type PredictInput } from "./predict.ts";
import type { LoadedVersion } from "./registry.ts";
import type { PendingPredict, Replies } from "./reply.ts";

type FastCall = PendingPredict & BodyState;

/** The fast path: no promise and no closure per request, metrics through pre-bound children. */
export class FastPredict {
  private readonly read: (req: IncomingMessage, c: FastCall) => void;

  constructor(
    private readonly maxBody: number,
    private readonly batcher: Batcher,
    private readonly replies: Replies,
  ) {
    this.read = bodyReader<FastCall>(maxBody, this.onBody, (c, e) => replies.predictFailed(c, e));
  }

  /** Takes the request, or returns false for the general path to answer it (a declared body over the limit). */
  start(req: IncomingMessage, res: ServerResponse, t0: number, m: LoadedVersion): boolean {
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > this.maxBody) return false;
    this.read(req, { req, res, t0, m, first: undefined, parts: undefined, size: 0 });
    return true;
  }

  private readonly onBody = (c: FastCall, buf: Buffer | undefined) => {
    try {
      this.batcher.submit(c, decodePredict(c.m, buf === undefined ? "" : buf.toString("utf8")));
    } catch (e) {
      if (!c.res.headersSent) this.replies.predictFailed(c, e);
    }
  };
}

/** A predict request's body (text) → the answer's JSON text, or throws HttpError. */
export function answerPredict(m: LoadedVersion, text: string, metrics: ServeMetrics): string {
  const input = decodePredict(m, text);
  const { out, width, labels } = runBatch(m, input.X, input.n, input.output, input.rows);
  metrics.predictSeries(m).rows.inc(input.n);
  return predictionsJson(out, input.n, width, labels);
}

/** A predict request's body (text) → its rows as one matrix, or throws HttpError. */
function decodePredict(m: LoadedVersion, text: string): PredictInput {
  if (text.length === 0 || text.trim() === "") throw new HttpError(400, "the request body is empty; expected JSON");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `malformed JSON: ${(e as Error).message}`);
  }
  // the usual body without zod; anything else (or anything wrong) through zod, which names the problem
  if (takesStrings(m)) return toMatrix(m, parsePredictBody(json, true));
  return fastPredictInput(json, m.entry.nFeatures) ?? toMatrix(m, parsePredictBody(json));
}
