// TypeScript parameter and return types of a generated module's functions, from its ApiShape: printed into the
// module itself (emitters/ts/module.ts) and into a bundle's index.d.ts.

import { strLit } from "../../emitters/literals.ts";
import type { ApiColumn, ApiFunction, ApiShape } from "./apiShape.ts";

/** One row: any array-like of numbers (null/undefined entries are missing values). */
export const ROW_TYPE = "ArrayLike<number>";
/** nRows rows, row-major. */
export const ROWS_TYPE = "Float64Array | Float32Array";

/** A table model's row: an array in column order or an object by column name (ApiShape.columns). */
export function tableRowType(columns: readonly ApiColumn[]): string {
  const cell = (c: ApiColumn) =>
    c.kind === "category" ? "string | null | undefined" : c.kind === "ignored" ? "unknown" : "number | boolean | null | undefined";
  const arrayCell = [...new Set(columns.flatMap((c) => cell(c).split(" | ")))].join(" | ");
  return `ReadonlyArray<${arrayCell}> | { readonly ${columns.map((c) => `${strLit(c.name)}: ${cell(c)}`).join("; readonly ")} }`;
}

/** A table model's batch: an array of rows, an object of columns, and (all columns numeric) typed arrays row-major. */
export function tableRowsType(columns: readonly ApiColumn[], row: string): string {
  const col = (c: ApiColumn) =>
    c.kind === "category"
      ? "ArrayLike<string | null | undefined>"
      : c.kind === "ignored"
        ? "ArrayLike<unknown>"
        : "ArrayLike<number | boolean | null | undefined>";
  const numeric = columns.every((c) => c.kind !== "category") ? `${ROWS_TYPE} | ` : "";
  return `${numeric}ReadonlyArray<${row}> | { readonly ${columns.map((c) => `${strLit(c.name)}: ${col(c)}`).join("; readonly ")} }`;
}

/**
 * `fn`'s parameters as a declaration prints them (`offset?: number`) or as the module's definition does (`offset: number = 0`).
 * Table models (api.columns) take rows and batches of their own types, named `Row`/`Rows` when `aliases` (the module
 * declares them), else written out.
 */
export function paramsOf(fn: ApiFunction, form: "declaration" | "definition", api?: Pick<ApiShape, "columns">, aliases = false): string {
  const cols = api?.columns;
  const row = cols ? (aliases ? "Row" : `(${tableRowType(cols)})`) : ROW_TYPE;
  if (fn === "predictProbaInto") return `x: ${row}, out: Float64Array, offset${form === "declaration" ? "?: number" : ": number = 0"}`;
  if (!fn.endsWith("Batch")) return `x: ${row}`;
  if (!cols) return `rows: ${ROWS_TYPE}, nRows: number`;
  const rows = aliases ? "Rows" : tableRowsType(cols, row);
  return form === "definition" ? `input: ${rows}, count?: number` : `rows: ${rows}, nRows?: number`;
}

/**
 * What `fn` returns: a number, a class label, a plain `number[]` (predictProba, and predict / predictRaw when they give
 * a vector: every single-row vector result), or a Float64Array (every batch form, predictProbaInto's `out`).
 */
export function returnKindOf(api: Pick<ApiShape, "predict" | "raw">, fn: ApiFunction): "number" | "label" | "number[]" | "Float64Array" {
  if (fn === "predict") return api.predict;
  if (fn === "predictRaw") return api.raw;
  if (fn === "predictProba") return "number[]";
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
export function declarationOf(api: Pick<ApiShape, "predict" | "raw" | "columns">, fn: ApiFunction, label: string): string {
  return `${fn}(${paramsOf(fn, "declaration", api)}): ${returnTypeOf(api, fn, label)}`;
}
