// TypeScript parameter and return types of a generated module's functions, from its ApiShape: printed into the
// module itself (emitters/ts/module.ts) and into a bundle's index.d.ts.

import type { ApiFunction, ApiShape } from "./apiShape.ts";

/** One row: any array-like of numbers (null/undefined entries are missing values). */
export const ROW_TYPE = "ArrayLike<number>";
/** nRows rows, row-major. */
export const ROWS_TYPE = "Float64Array | Float32Array";

/** `fn`'s parameters as a declaration prints them (`offset?: number`) or as the module's definition does (`offset: number = 0`). */
export function paramsOf(fn: ApiFunction, form: "declaration" | "definition"): string {
  if (fn === "predictProbaInto") return `x: ${ROW_TYPE}, out: Float64Array, offset${form === "declaration" ? "?: number" : ": number = 0"}`;
  return fn.endsWith("Batch") ? `rows: ${ROWS_TYPE}, nRows: number` : `x: ${ROW_TYPE}`;
}

/** What `fn` returns: a number, a class label, or a Float64Array (every batch form, predictProba(Into)). */
export function returnKindOf(api: Pick<ApiShape, "predict" | "raw">, fn: ApiFunction): "number" | "label" | "Float64Array" {
  if (fn === "predict") return api.predict;
  if (fn === "predictRaw") return api.raw;
  return fn === "scoreSamples" ? "number" : "Float64Array";
}

/**
 * `fn`'s return type; `label` types a class label: the module declares "number" or "string" (ApiShape.label), a
 * bundle's index.d.ts the union of the model's classes.
 */
export function returnTypeOf(api: Pick<ApiShape, "predict" | "raw">, fn: ApiFunction, label: string): string {
  const kind = returnKindOf(api, fn);
  return kind === "label" ? label : kind;
}

/** The label type the module itself declares: "number" or "string" (numbers without class labels). */
export function moduleLabelType(api: Pick<ApiShape, "label">): "number" | "string" {
  return api.label ?? "number";
}

/** `predict(x: ArrayLike<number>): 0 | 1`: the method signature of `fn` in a declaration file. */
export function declarationOf(api: Pick<ApiShape, "predict" | "raw">, fn: ApiFunction, label: string): string {
  return `${fn}(${paramsOf(fn, "declaration")}): ${returnTypeOf(api, fn, label)}`;
}
