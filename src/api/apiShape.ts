// The public API of a generated module, derived once from the IR: which functions it exports and what each returns.

import { probaWidth, type ModelIR } from "../ir/types.ts";

/** A function a generated module may export. */
export type ApiFunction =
  | "predict"
  | "predictProba"
  | "predictProbaInto"
  | "predictRaw"
  | "scoreSamples"
  | "predictBatch"
  | "predictProbaBatch"
  | "predictRawBatch"
  | "scoreSamplesBatch";

/** Every function a generated module may export, in one fixed order (the order a wasm loader exports them). */
export const API_FUNCTIONS: readonly ApiFunction[] = [
  "predict",
  "predictProba",
  "predictProbaInto",
  "predictRaw",
  "scoreSamples",
  "predictBatch",
  "predictProbaBatch",
  "predictRawBatch",
  "scoreSamplesBatch",
];

/** The single-row outputs (meta.outputs): what a model can answer, batch forms and predictProbaInto aside. */
export type ApiOutput = "predict" | "predictProba" | "predictRaw" | "scoreSamples";

/**
 * Everything about a generated module's public API (docs/SPEC.md "Generated module"), as plain JSON data: written into a
 * bundle's manifest.json as `api`, and read by every printer of that API (emitters/ts/module.ts, the wasm loader,
 * the bundle's index.d.ts, inspect). `meta` is metaOf (src/api/meta.ts); parameter and return types are printed by
 * src/api/apiTypes.ts.
 */
export interface ApiShape {
  /**
   * predict(x): a number (a regression's value, or a class index without class labels), a vector (a plain `number[]`,
   * as every single-row vector result; batch results are Float64Arrays), or one of meta.classes
   */
  predict: "number" | "number[]" | "label";
  /** predictRaw(x): the raw scores (an outlier detector's decision_function), a number or a `number[]` */
  raw: "number" | "number[]";
  /** number of class probabilities predictProba returns; 0 when the model has no predictProba */
  proba: number;
  /** outlier detectors: scoreSamples / scoreSamplesBatch exist (predictRaw is then decision_function); absent otherwise */
  scoreSamples?: true;
  /** the type of meta.classes' labels ("string" when any is not a number); null for models without class labels */
  label: "number" | "string" | null;
  nFeatures: number;
  /** length of the raw score vector: predictRaw's number[], predictRawBatch's values per row */
  nOutputs: number;
  /**
   * predictBatch's values per row, and the length of predict's number[]: 1, nOutputs (multi-output regression),
   * or one label per output group (multi-output classifiers)
   */
  predictWidth: number;
  /**
   * what predictBatch stores: the predicted values ("value"), class labels ("label": numeric labels, or the labels of
   * meta.outputClasses per group), or class indices ("index": into meta.classes for string labels; without labels,
   * the class index predict returns)
   */
  predictBatch: "value" | "label" | "index";
  /** the functions the module exports, in API_FUNCTIONS order */
  functions: ApiFunction[];
  /**
   * models fitted on a table (ModelIR.columns): the row's columns, by name; a row is then an array in column order or
   * an object by name, with strings in "category" columns, and a batch an array of rows or an object of columns
   */
  columns?: ApiColumn[];
}

/** One input column of a table model. */
export interface ApiColumn {
  name: string;
  kind: "number" | "category" | "ignored";
}

export function apiShape(ir: ModelIR): ApiShape {
  const d = ir.decision;
  const groups = d.kind === "argmaxGroups" ? d.groups.length : 0;
  const vector = (d.kind === "value" && ir.nOutputs > 1) || groups > 0;
  const labels = ir.classes;
  const label = labels ? (labels.every((c) => typeof c === "number") ? "number" : "string") : null;
  const proba = probaWidth(ir);
  if ((ir.proba.kind !== "none") !== proba > 0) throw new Error(`internal: model ${ir.name} has probabilities of ${proba} classes (${ir.proba.kind})`);
  const predict = vector ? "number[]" : d.kind === "value" || !labels ? "number" : "label";
  const has = (f: ApiFunction): boolean => (f.startsWith("predictProba") ? proba > 0 : f.startsWith("scoreSamples") ? ir.outlier !== undefined : true);
  return {
    predict,
    raw: ir.nOutputs > 1 ? "number[]" : "number",
    proba,
    ...(ir.outlier ? { scoreSamples: true as const } : {}),
    label,
    nFeatures: ir.nFeatures,
    nOutputs: ir.nOutputs,
    predictWidth: groups > 0 ? groups : vector ? ir.nOutputs : 1,
    predictBatch: d.kind === "value" ? "value" : groups > 0 || label === "number" ? "label" : "index",
    functions: API_FUNCTIONS.filter(has),
    ...(ir.columns ? { columns: ir.columns.map((c) => ({ name: c.name, kind: c.kind })) } : {}),
  };
}

/** A table model with a string column: its batches cannot be typed arrays. */
export function hasCategoryColumns(api: Pick<ApiShape, "columns">): boolean {
  return api.columns?.some((c) => c.kind === "category") ?? false;
}

/** Whether the module exports `fn`. */
export function hasFunction(api: Pick<ApiShape, "functions">, fn: ApiFunction): boolean {
  return api.functions.includes(fn);
}

/** predictBatch gives class indices where predict gives their labels (string labels): a caller maps them with meta.classes. */
export function labelsByIndex(api: Pick<ApiShape, "predict" | "predictBatch">): boolean {
  return api.predict === "label" && api.predictBatch === "index";
}

/** The single-row outputs the module answers (meta.outputs, inspect's "available"), in meta's order. */
export function apiOutputs(api: Pick<ApiShape, "functions">): ApiOutput[] {
  return (["predict", "predictProba", "predictRaw", "scoreSamples"] as const).filter((f) => hasFunction(api, f));
}

/** The same shape with its fields in the one order manifest.json uses (old manifests' fields first). */
export function apiFields(api: ApiShape): ApiShape {
  return {
    predict: api.predict,
    raw: api.raw,
    proba: api.proba,
    ...(api.scoreSamples ? { scoreSamples: true as const } : {}),
    label: api.label,
    nFeatures: api.nFeatures,
    nOutputs: api.nOutputs,
    predictWidth: api.predictWidth,
    predictBatch: api.predictBatch,
    functions: [...api.functions],
    ...(api.columns ? { columns: api.columns.map((c) => ({ name: c.name, kind: c.kind })) } : {}),
  };
}
