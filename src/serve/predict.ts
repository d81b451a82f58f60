// The body of a predict request (TensorFlow Serving's row format) and its predictions: rows are
// validated with zod, copied into one Float64Array and predicted with the chunk's batch entry
// point. null is a missing value (NaN). JSON has no NaN or ±Infinity: such outputs become null.

import { z } from "zod";
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

export function parsePredictBody(json: unknown): PredictBody {
  const r = predictBodySchema.safeParse(json);
  if (!r.success) throw new HttpError(400, `invalid predict request: ${zodMessage(r.error)}`);
  const rows = r.data.instances;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const rr = Array.isArray(row) ? arrayRow.safeParse(row) : row !== null && typeof row === "object" ? objectRow.safeParse(row) : undefined;
    if (!rr) throw new HttpError(400, `invalid predict request: instances.${i}: expected an array of numbers or an object keyed by feature name`);
    if (!rr.success) throw new HttpError(400, `invalid predict request: ${zodMessage(rr.error, ["instances", i])}`);
  }
  return r.data as PredictBody;
}

/** Predictions as JSON-ready values: one entry per row, a number (or label) or an array. */
export function predictRows(m: LoadedVersion, body: PredictBody): { predictions: unknown[]; rows: number } {
  const mod = m.module;
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
  const output = body.output ?? "predict";
  let out: Float64Array;
  let labels: readonly (number | string)[] | undefined;
  if (output === "proba") {
    if (!mod.predictProbaBatch) throw new HttpError(400, `model ${JSON.stringify(m.name)} (${m.entry.task}) has no class probabilities; use "predict" or "raw"`);
    out = mod.predictProbaBatch(X, n);
  } else if (output === "raw") {
    out = mod.predictRawBatch(X, n);
  } else {
    out = mod.predictBatch(X, n);
    // string labels come out of predictBatch as class indices
    const classes = m.entry.classes;
    if (m.entry.api.predict === "label" && classes && classes.some((c) => typeof c === "string")) labels = classes;
  }
  const width = n === 0 ? 0 : out.length / n;
  const predictions = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    if (width === 1) predictions[i] = labels ? labels[out[i]!] : num(out[i]!);
    else {
      const a = new Array<unknown>(width);
      for (let k = 0; k < width; k++) a[k] = labels ? labels[out[i * width + k]!] : num(out[i * width + k]!);
      predictions[i] = a;
    }
  }
  return { predictions, rows: n };
}

const num = (v: number): number | null => (Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : null);
