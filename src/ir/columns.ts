// The meaning of ModelIR.columns (types.ts InputColumn): a table model's row, as an array in column order or an
// object by column name, to the numbers its preprocessing reads. emitters/tableRows.ts prints the same rule.

import type { InputColumn } from "./types.ts";

/** The number a value of column `c` becomes; throws a TypeError naming the column for a value of the wrong type. */
export function encodeCell(c: InputColumn, v: unknown, index: Map<string, number> | undefined): number {
  if (c.kind === "ignored") return 0;
  if (c.kind === "number") {
    if (typeof v === "number") return v;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (v === null || v === undefined) return Number.NaN;
  } else {
    if (typeof v === "string") return index?.get(v) ?? -1;
    if (v === null || v === undefined) return c.none ? -2 : Number.NaN;
    if (typeof v === "number" && Number.isNaN(v)) return Number.NaN;
  }
  throw new TypeError(`column ${JSON.stringify(c.name)} takes ${c.kind === "number" ? "numbers" : "strings"}, got ${v === null ? "null" : typeof v}`);
}

/** An encoder for rows of these columns (arrays in column order or objects by name). */
export function rowEncoder(columns: readonly InputColumn[]): (row: unknown) => Float64Array {
  const maps = columns.map((c) => (c.kind === "category" ? new Map((c.categories ?? []).map((s, i) => [s, i])) : undefined));
  return (row: unknown): Float64Array => {
    const out = new Float64Array(columns.length);
    if (Array.isArray(row) || ArrayBuffer.isView(row)) {
      const a = row as ArrayLike<unknown>;
      if (a.length !== columns.length) throw new RangeError(`expected a row of ${columns.length} columns, got ${a.length}`);
      columns.forEach((c, i) => {
        out[i] = encodeCell(c, a[i], maps[i]);
      });
    } else if (typeof row === "object" && row !== null) {
      const r = row as Record<string, unknown>;
      columns.forEach((c, i) => {
        if (!Object.hasOwn(r, c.name)) throw new TypeError(`the row has no column ${JSON.stringify(c.name)}`);
        out[i] = encodeCell(c, r[c.name], maps[i]);
      });
    } else throw new TypeError("a row must be an array in column order or an object by column name");
    return out;
  };
}
