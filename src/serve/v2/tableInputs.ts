// The Open Inference Protocol's inputs of a table model (a pipeline fitted on a DataFrame with string columns,
// ApiShape.columns): one tensor per column, named by the column, shape [-1] (or [rows, 1]): BYTES for a category
// column, FP64 (FP32 accepted) for a number column. A column every transformer drops ("ignored") is not listed in
// the metadata; a request may still send it (BYTES, FP64 or FP32, its values unread). The tensors become the
// module's column batch `{column: values}` (emitters/tableRows.ts), predicted through the batcher as v1 rows are.
//
// Values: BYTES elements are strings; in JSON, null is a missing value (Python's None where the encoder knows None,
// else NaN) and NaN (the bare token Python clients write) is NaN. FP64/FP32 elements are numbers as sent (NaN and
// ±Infinity included, as the `input` tensor takes them), null a missing value (NaN).

import type { ApiColumn } from "../../api/apiShape.ts";
import { HttpError } from "../predict.ts";
import type { LoadedVersion } from "../registry.ts";
import type { TensorMetadata } from "./tensorMetadata.ts";

/** One input tensor as decoded by a transport: its values flat, in row order. */
export interface DecodedTensor {
  name: string;
  datatype: string;
  shape: readonly unknown[];
  values: unknown[];
}

/** The module's column batch and its number of rows. */
export interface ColumnBatch {
  columns: Record<string, unknown[]>;
  n: number;
}

const columnsOf = (m: LoadedVersion): ApiColumn[] => m.entry.api.columns ?? [];

/** The table model's input tensors: one per used column. */
export function tableInputMetadata(m: LoadedVersion): TensorMetadata[] {
  return columnsOf(m)
    .filter((c) => c.kind !== "ignored")
    .map((c) => ({ name: c.name, datatype: c.kind === "category" ? "BYTES" : "FP64", shape: [-1] }));
}

/** The column a tensor feeds, or a 400 naming an unknown tensor. */
export function columnOf(m: LoadedVersion, name: string): ApiColumn {
  const c = columnsOf(m).find((k) => k.name === name);
  if (!c) {
    const known = tableInputMetadata(m).map((t) => t.name);
    throw new HttpError(400, `model ${JSON.stringify(m.name)} has no input ${JSON.stringify(name)}; its inputs (one per column): ${known.join(", ")}`);
  }
  return c;
}

/** Checks a tensor's datatype for its column (before its data is decoded). */
export function checkColumnDatatype(m: LoadedVersion, name: string, datatype: unknown): ApiColumn {
  const c = columnOf(m, name);
  const ok =
    c.kind === "category"
      ? datatype === "BYTES"
      : c.kind === "number"
        ? datatype === "FP64" || datatype === "FP32"
        : ["BYTES", "FP64", "FP32"].includes(datatype as string);
  if (!ok) {
    const want = c.kind === "category" ? "BYTES (strings)" : c.kind === "number" ? "FP64 (or FP32)" : "BYTES, FP64 or FP32";
    throw new HttpError(400, `input ${JSON.stringify(name)}: datatype ${JSON.stringify(datatype)}; column ${JSON.stringify(name)} takes ${want}`);
  }
  return c;
}

/** The rows of a tensor's shape: [rows] or [rows, 1]. */
export function rowsOfShape(name: string, shape: readonly unknown[]): number {
  const dims = shape.map(Number);
  if ((dims.length !== 1 && !(dims.length === 2 && dims[1] === 1)) || dims.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new HttpError(400, `input ${JSON.stringify(name)}: shape ${JSON.stringify(shape)} is not [rows] (one value per row)`);
  return dims[0]!;
}

/**
 * The tensors as the module's column batch: every used column once, no unknown name, the datatypes of the columns,
 * one row count, values of the datatype (in `values`: strings for BYTES, plus null/NaN for missing values when
 * `missing`; numbers or null for FP64/FP32, FP32 rounded to float32). Errors are 400s naming the tensor.
 */
export function columnBatch(m: LoadedVersion, tensors: readonly DecodedTensor[]): ColumnBatch {
  const columns: Record<string, unknown[]> = Object.create(null);
  let n = -1;
  let first = "";
  for (const t of tensors) {
    const c = checkColumnDatatype(m, t.name, t.datatype);
    if (Object.hasOwn(columns, t.name)) throw new HttpError(400, `input ${JSON.stringify(t.name)} is sent twice`);
    const rows = rowsOfShape(t.name, t.shape);
    if (t.values.length !== rows)
      throw new HttpError(400, `input ${JSON.stringify(t.name)} has ${t.values.length} values; its shape ${JSON.stringify(t.shape)} needs ${rows}`);
    if (n < 0) {
      n = rows;
      first = t.name;
    } else if (rows !== n)
      throw new HttpError(400, `input ${JSON.stringify(t.name)} has ${rows} rows, input ${JSON.stringify(first)} ${n}: every input needs one value per row`);
    const v = t.values;
    if (t.datatype === "BYTES") {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x !== "string" && x !== null && !(typeof x === "number" && Number.isNaN(x)))
          throw new HttpError(400, `input ${JSON.stringify(t.name)} data[${i}]: expected a string (BYTES; null for a missing value), got ${JSON.stringify(x)}`);
      }
    } else {
      const fp32 = t.datatype === "FP32";
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x === "number") {
          if (fp32) v[i] = Math.fround(x);
        } else if (x !== null)
          throw new HttpError(400, `input ${JSON.stringify(t.name)} data[${i}]: expected a number (or null for a missing value), got ${JSON.stringify(x)}`);
      }
    }
    // an ignored column's values are never read (the module takes 0 for them)
    columns[t.name] = c.kind === "ignored" ? [] : v;
  }
  const missing = tableInputMetadata(m)
    .map((t) => t.name)
    .filter((k) => !Object.hasOwn(columns, k));
  if (missing.length > 0)
    throw new HttpError(400, `model ${JSON.stringify(m.name)} takes one input per column: missing ${missing.map((k) => JSON.stringify(k)).join(", ")}`);
  if (n === 0) throw new HttpError(400, "the inputs have no rows");
  // the module asks for every column, ignored ones too: nulls where none was sent
  for (const c of columnsOf(m)) if (c.kind === "ignored") columns[c.name] = new Array<unknown>(n).fill(null);
  return { columns, n };
}
