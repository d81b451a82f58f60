// The Open Inference Protocol (KServe v2) over a bundle's models, shared by its REST and gRPC APIs:
// each model has one input tensor, `input` (FP64 or FP32, shape [rows, features]) — a table model with string
// columns one tensor per column instead (./tableInputs.ts) — and up to four
// output tensors named after what the model computes. Outputs are predicted through the batcher
// (one job per output), so requests of every API that arrive together share batch calls.
//
//   predict        predictBatch: FP64 values, or BYTES when the class labels are strings; [rows] or [rows, width]
//   predict_proba  predictProbaBatch: FP64 [rows, classes]              (classifiers)
//   raw            predictRawBatch: FP64 [rows] or [rows, outputs]      (margins, decision_function)
//   score_samples  scoreSamplesBatch: FP64 [rows]                       (outlier detectors)

import type { Batcher } from "../batcher.ts";
import type { ServeMetrics } from "../metrics.ts";
import { HttpError, type Output, takesStrings } from "../predict.ts";
import type { LoadedVersion, ModelRegistry } from "../registry.ts";
import { tableInputMetadata } from "./tableInputs.ts";
import type { TensorMetadata } from "./tensorMetadata.ts";

export type OutputName = "predict" | "predict_proba" | "raw" | "score_samples";

export const INPUT_NAME = "input";

const RUN: Record<OutputName, Output> = { predict: "predict", predict_proba: "proba", raw: "raw", score_samples: "score" };

export type { TensorMetadata } from "./tensorMetadata.ts";

export interface OutputTensor {
  name: OutputName;
  datatype: "FP64" | "BYTES";
  shape: number[];
  /** FP64: the values; BYTES: the labels */
  data: Float64Array | string[];
}

/** The output tensors a model version has, in the protocol's order. */
export function outputMetadata(m: LoadedVersion): TensorMetadata[] {
  const api = m.entry.api;
  const out: TensorMetadata[] = [];
  const stringLabels = api.predict === "label" && api.label === "string";
  out.push({
    name: "predict",
    datatype: stringLabels ? "BYTES" : "FP64",
    shape: api.predict !== "number[]" && api.predictWidth === 1 ? [-1] : [-1, api.predictWidth],
  });
  if (api.proba > 0) out.push({ name: "predict_proba", datatype: "FP64", shape: [-1, api.proba] });
  out.push({ name: "raw", datatype: "FP64", shape: api.raw === "number" ? [-1] : [-1, api.nOutputs] });
  if (api.scoreSamples) out.push({ name: "score_samples", datatype: "FP64", shape: [-1] });
  return out;
}

export function inputMetadata(m: LoadedVersion): TensorMetadata[] {
  if (takesStrings(m)) return tableInputMetadata(m);
  return [{ name: INPUT_NAME, datatype: "FP64", shape: [-1, m.entry.nFeatures] }];
}

/** The platform of model metadata (`<project>_<format>`). */
export function platformOf(m: LoadedVersion): string {
  return m.entry.wasm ? "modelc_wasm" : "modelc_js";
}

/** The model's metadata response (REST and gRPC carry the same fields). */
export function modelMetadata(registry: ModelRegistry, m: LoadedVersion) {
  const versions = (registry.status(m.name) ?? []).filter((s) => s.state === "AVAILABLE").map((s) => s.version);
  return { name: m.name, versions, platform: platformOf(m), inputs: inputMetadata(m), outputs: outputMetadata(m) };
}

/** Server readiness: not shutting down, at least one model, and every model's default (pinned, else highest) version loaded. */
export function serverReady(registry: ModelRegistry, draining: boolean): boolean {
  if (draining) return false;
  const names = registry.names();
  return names.length > 0 && names.every((n) => registry.defaultVersion(n) !== undefined);
}

/** The requested outputs' names (all the model has when none is named), or a 400 naming the unknown one. */
export function selectOutputs(m: LoadedVersion, names: readonly string[] | undefined): OutputName[] {
  const has = outputMetadata(m).map((t) => t.name as OutputName);
  if (names === undefined || names.length === 0) return has;
  const chosen: OutputName[] = [];
  for (const n of names) {
    if (!(has as string[]).includes(n))
      throw new HttpError(400, `model ${JSON.stringify(m.name)} has no output ${JSON.stringify(n)}; its outputs: ${has.join(", ")}`);
    if ((chosen as string[]).includes(n)) throw new HttpError(400, `output ${JSON.stringify(n)} is requested twice`);
    chosen.push(n as OutputName);
  }
  return chosen;
}

/** Checks the one input tensor's datatype and shape; returns the number of rows. */
export function checkInput(m: LoadedVersion, count: number, datatype: unknown, shape: readonly unknown[]): number {
  if (count !== 1) throw new HttpError(400, `model ${JSON.stringify(m.name)} takes one input tensor (${JSON.stringify(INPUT_NAME)}), got ${count}`);
  if (datatype !== "FP64" && datatype !== "FP32") throw new HttpError(400, `input datatype ${JSON.stringify(datatype)} is not supported; send FP64 (or FP32)`);
  const nF = m.entry.nFeatures;
  const dims = shape.map(Number);
  if (dims.length !== 2 || dims.some((d) => !Number.isSafeInteger(d) || d < 0) || dims[1] !== nF)
    throw new HttpError(400, `input shape ${JSON.stringify(shape)} is not [rows, ${nF}]: model ${JSON.stringify(m.name)} takes ${nF} features per row`);
  if (dims[0] === 0) throw new HttpError(400, "the input has no rows");
  return dims[0]!;
}

/** Predicts each requested output of the rows (X, or a table model's column batch) through the batcher; counts the rows once. */
export function runInfer(
  batcher: Batcher,
  metrics: ServeMetrics,
  m: LoadedVersion,
  input: { X: Float64Array; n: number; columns?: Record<string, unknown[]> },
  outputs: OutputName[],
): Promise<OutputTensor[]> {
  const { X, n, columns } = input;
  const meta = outputMetadata(m);
  const jobs = outputs.map(
    (name) =>
      new Promise<OutputTensor>((resolve, reject) => {
        const oneD = meta.find((t) => t.name === name)!.shape.length === 1;
        batcher.submit(
          {
            m,
            done: (out, width, labels) => {
              const shape = oneD && width === 1 ? [n] : [n, width];
              resolve(
                labels ? { name, datatype: "BYTES", shape, data: Array.from(out, (k) => String(labels[k])) } : { name, datatype: "FP64", shape, data: out },
              );
            },
            failed: reject,
          },
          columns ? { X, n, output: RUN[name], columns } : { X, n, output: RUN[name] },
        );
      }),
  );
  return Promise.all(jobs).then((r) => {
    metrics.predictSeries(m).rows.inc(n);
    return r;
  });
}
