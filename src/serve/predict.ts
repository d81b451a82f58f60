// The body of a predict request (TensorFlow Serving's row format) and its predictions: rows are
// validated (the usual array-row body by a fast path that accepts exactly what the zod schema
// accepts; anything else by zod, which names the problem), copied into one Float64Array and
// predicted with the chunk's batch entry point. null is a missing value (NaN). JSON has no NaN or
// ±Infinity: such outputs become null.

import { z } from "zod";
import { hasCategoryColumns } from "../api/apiShape.ts";
import type { LoadedVersion } from "./registry.ts";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const value = z.number().nullable();
const arrayRow = z.array(value);
const objectRow = z.record(z.string(), value);
export const predictBodySchema = z.object({
  // each row is checked against the array or the object schema below, so errors name the value
  instances: z.array(z.unknown()).min(1, "instances is empty"),
  output: z.enum(["predict", "proba", "raw"]).optional(),
  signature_name: z.string().optional(),
});
export type PredictBody = { instances: ((number | null)[] | Record<string, number | null>)[]; output?: "predict" | "proba" | "raw" };

/** The zod issues as one line: `instances.0.2: Invalid input: expected number, received string`. */
export function zodMessage(error: z.ZodError, prefix: (string | number)[] = []): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = [...prefix, ...i.path].map(String);
      return `${path.length ? path.join(".") : "(body)"}: ${i.message}`;
    })
    .join("; ");
}

export function parsePredictBody(json: unknown, table = false): PredictBody {
  const r = predictBodySchema.safeParse(json);
  if (!r.success) throw new HttpError(400, `invalid predict request: ${zodMessage(r.error)}`);
  const rows = r.data.instances;
  for (let i = 0; i < rows.length; i++) {
    // a table model's rows hold strings: the model checks each value and names the column
    if (table) {
      if (rows[i] === null || typeof rows[i] !== "object")
        throw new HttpError(400, `invalid predict request: instances.${i}: expected an array in column order or an object keyed by column name`);
      continue;
    }
    const row = rows[i];
    const rr = Array.isArray(row) ? arrayRow.safeParse(row) : row !== null && typeof row === "object" ? objectRow.safeParse(row) : undefined;
    if (!rr) throw new HttpError(400, `invalid predict request: instances.${i}: expected an array of numbers or an object keyed by feature name`);
    if (!rr.success) throw new HttpError(400, `invalid predict request: ${zodMessage(rr.error, ["instances", i])}`);
  }
  return r.data as PredictBody;
}

/** "score": scoreSamplesBatch (outlier detectors), asked for by the v2 and gRPC APIs only */
export type Output = "predict" | "proba" | "raw" | "score";

/** A predict request's rows as one row-major matrix, ready for the batch entry points. */
export interface PredictInput {
  X: Float64Array;
  n: number;
  output: Output;
  /** a table model with string columns: the rows as sent (the model encodes them); X is then empty */
  rows?: unknown[];
  /** a table model with string columns, from the v2 and gRPC APIs: the module's column batch; X is then empty */
  columns?: Record<string, unknown[]>;
}

/** A table model with string columns (its batches are arrays of rows, not matrices). */
export function takesStrings(m: LoadedVersion): boolean {
  return m.entry.api !== undefined && hasCategoryColumns(m.entry.api);
}

/**
 * The fast path for the common body `{"instances": [[numbers or null...], ...], "output"?: ...}`:
 * checks exactly what `predictBodySchema` and `toMatrix` check and copies the rows into one
 * Float64Array. Anything else (object rows, a wrong row
 * length, a bad value, extra nesting) returns undefined, and the caller takes the zod path, which
 * names the problem; it never accepts a body that path refuses (test/serve/fastpath.test.ts).
 */
export function fastPredictInput(json: unknown, nF: number): PredictInput | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const body = json as { instances?: unknown; output?: unknown; signature_name?: unknown };
  const rows = body.instances;
  if (!Array.isArray(rows) || rows.length === 0) return undefined;
  let output: Output = "predict";
  const o = body.output;
  if (o !== undefined) {
    if (o === "proba" || o === "raw" || o === "predict") output = o;
    else return undefined;
  }
  const sig = body.signature_name;
  if (sig !== undefined && typeof sig !== "string") return undefined;
  const n = rows.length;
  const size = n * nF;
  const X = new Float64Array(size);
  for (let i = 0, at = 0; i < n; i++) {
    const row: unknown = rows[i];
    if (!Array.isArray(row) || row.length !== nF) return undefined;
    for (let j = 0; j < nF; j++, at++) {
      const v: unknown = row[j];
      if (typeof v === "number") {
        // zod's number() refuses ±Infinity (JSON.parse makes it of 1e999)
        if (v - v !== 0) return undefined;
        X[at] = v;
      } else if (v === null) X[at] = NaN;
      else return undefined;
    }
  }
  return { X, n, output };
}

/** The zod path: any valid body (array or object rows) as a matrix, or an HttpError naming the problem. */
export function toMatrix(m: LoadedVersion, body: PredictBody): PredictInput {
  if (takesStrings(m)) return { X: new Float64Array(0), n: body.instances.length, output: body.output ?? "predict", rows: body.instances };
  const nF = m.entry.nFeatures;
  const names = m.entry.features;
  const rows = body.instances;
  const n = rows.length;
  const X = new Float64Array(n * nF);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const o = i * nF;
    if (Array.isArray(row)) {
      if (row.length !== nF) throw new HttpError(400, `instances.${i}: expected ${nF} values, got ${row.length}`);
      for (let j = 0; j < nF; j++) {
        const v = row[j];
        X[o + j] = v === null || v === undefined ? NaN : v;
      }
    } else {
      if (!names) throw new HttpError(400, `instances.${i}: this model has no feature names; send an array of ${nF} numbers`);
      for (const k in row) if (!names.includes(k)) throw new HttpError(400, `instances.${i}: unknown feature ${JSON.stringify(k)}`);
      for (let j = 0; j < nF; j++) {
        const v = row[names[j]!];
        X[o + j] = v === null || v === undefined ? NaN : v;
      }
    }
  }
  return { X, n, output: body.output ?? "predict" };
}

/** Runs the chunk's batch entry point for `output`; string class labels are returned beside class indices. */
export function runBatch(
  m: LoadedVersion,
  X: Float64Array,
  n: number,
  output: Output,
  rows?: unknown[] | Record<string, unknown[]>,
): { out: Float64Array; width: number; labels?: readonly (number | string)[] } {
  if (rows) {
    // the model checks a table row's values: its TypeError/RangeError names the column, and is the client's error
    try {
      return runBatch(m, rows as unknown as Float64Array, n, output);
    } catch (e) {
      if (e instanceof TypeError || e instanceof RangeError) throw new HttpError(400, e.message);
      throw e;
    }
  }
  const mod = m.module;
  let out: Float64Array;
  let labels: readonly (number | string)[] | undefined;
  if (output === "proba") {
    if (!mod.predictProbaBatch)
      throw new HttpError(400, `model ${JSON.stringify(m.name)} (${m.entry.task}) has no class probabilities; use "predict" or "raw"`);
    out = mod.predictProbaBatch(X, n);
  } else if (output === "raw") {
    out = mod.predictRawBatch(X, n);
  } else if (output === "score") {
    if (!mod.scoreSamplesBatch) throw new HttpError(400, `model ${JSON.stringify(m.name)} (${m.entry.task}) has no score_samples`);
    out = mod.scoreSamplesBatch(X, n);
  } else {
    out = mod.predictBatch(X, n);
    // string labels come out of predictBatch as class indices
    const classes = m.entry.classes;
    if (m.entry.api.predict === "label" && classes && classes.some((c) => typeof c === "string")) labels = classes;
  }
  const width = n === 0 ? 0 : out.length / n;
  return { out, width, labels };
}

/**
 * `{"predictions": [...]}` as JSON text, written directly (the same text as JSON.stringify of
 * predictRows' answer: a finite number prints as String(n), NaN and ±Infinity as null, -0 as 0).
 */
export function predictionsJson(out: Float64Array, n: number, width: number, labels?: readonly (number | string)[]): string {
  if (labels) {
    const predictions = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      if (width === 1) predictions[i] = labels[out[i]!];
      else predictions[i] = Array.from(out.subarray(i * width, (i + 1) * width), (k) => labels[k]);
    }
    return JSON.stringify({ predictions });
  }
  let s = '{"predictions":[';
  for (let i = 0, at = 0; i < n; i++) {
    if (i > 0) s += ",";
    if (width === 1) s += numText(out[at++]!);
    else {
      s += "[";
      for (let k = 0; k < width; k++, at++) s += k === 0 ? numText(out[at]!) : "," + numText(out[at]!);
      s += "]";
    }
  }
  return s + "]}";
}

const numText = (v: number): string => (v - v === 0 ? String(v) : "null");
