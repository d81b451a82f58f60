// Rows of a table model (ModelIR.columns): the code a generated module and a wasm loader carry to turn a row given as
// an array in column order or an object by column name, or a batch given as an array of rows or an object of columns,
// into the numbers its preprocessing reads (src/ir/columns.ts is the same rule for the evaluator): a category column's
// string becomes its index in the column's known strings (-1 unknown), null/undefined become -2 where None is a
// category (else NaN), NaN stays NaN; a number column takes numbers, null/undefined as NaN. Anything else, and a
// missing column, is a TypeError naming the column.

import type { ModelIR } from "../src/ir/types.ts";
import { dataLit, strLit } from "./literals.ts";

/**
 * Declarations and functions `tableCell_(v, i)`, `tableRow_(x, S, o)` (one row into S[o ..]) and `tableRows_(input,
 * count)` (a batch as row-major float64). `ts`: with type annotations (a .ts module), else plain JavaScript.
 */
export function tableRowsCode(ir: ModelIR, ts: boolean): string[] {
  const cols = ir.columns;
  if (!cols) throw new Error("internal: tableRowsCode needs ModelIR.columns");
  const NF = cols.length;
  const T = (s: string) => (ts ? s : "");
  const msg = (s: string) => strLit(`modelc model ${ir.name}: ${s}`);
  const anyCategory = cols.some((c) => c.kind === "category");
  const lines: string[] = [
    `const COLS${T(": readonly string[]")} = ${dataLit(cols.map((c) => c.name))};`,
    // the names quoted for error messages (JSON.stringify at compile time: the module names no JSON)
    `const QCOLS${T(": readonly string[]")} = ${dataLit(cols.map((c) => JSON.stringify(c.name)))};`,
  ];
  // per column: a category column's Map of its strings, 0 for a number column, null for an ignored one
  lines.push(
    `const CATS${T(": readonly (Map<string, number> | 0 | null)[]")} = [${cols
      .map((c) =>
        c.kind === "category"
          ? `/* @__PURE__ */ new Map(${dataLit(c.categories ?? [])}.map((s${T(": string")}, i${T(": number")}) => [s, i]))`
          : c.kind === "ignored"
            ? "null"
            : "0",
      )
      .join(", ")}];`,
    `const NONE_ = ${dataLit(cols.map((c) => (c.none ? 1 : 0)))};`,
    `function tableCell_(v${T(": unknown")}, i${T(": number")})${T(": number")} {`,
    `  const m = CATS[i]${T("!")};`,
    "  if (m === 0) {",
    '    if (typeof v === "number") return v;',
    '    if (typeof v === "boolean") return v ? 1 : 0;',
    "    if (v == null) return NaN;",
    "  } else if (m === null) {",
    "    return 0;",
    "  } else {",
    '    if (typeof v === "string") {',
    "      return m.get(v) ?? -1;",
    "    }",
    "    if (v == null) return NONE_[i] ? -2 : NaN;",
    '    if (typeof v === "number" && v !== v) return NaN;',
    "  }",
    `  throw new TypeError(${msg("column ")} + QCOLS[i] + (m === 0 ? " takes numbers" : " takes strings") + ", got " + (v === null ? "null" : typeof v));`,
    "}",
    `function tableRow_(x${T(": unknown")}, S${T(": Float64Array")}, o${T(": number")})${T(": void")} {`,
    "  if (Array.isArray(x) || ArrayBuffer.isView(x)) {",
    `    const a = x${T(" as ArrayLike<unknown>")};`,
    `    if (a.length !== ${NF}) throw new RangeError(${msg(`expected a row of ${NF} columns, got `)} + a.length);`,
    `    for (let i = 0; i < ${NF}; i++) S[o + i] = tableCell_(a[i], i);`,
    '  } else if (typeof x === "object" && x !== null) {',
    `    const r = x${T(" as Record<string, unknown>")};`,
    `    for (let i = 0; i < ${NF}; i++) {`,
    `      const k = COLS[i]${T("!")};`,
    `      if (!Object.hasOwn(r, k)) throw new TypeError(${msg("the row has no column ")} + QCOLS[i]);`,
    "      S[o + i] = tableCell_(r[k], i);",
    "    }",
    `  } else throw new TypeError(${msg("a row must be an array in column order or an object by column name")});`,
    "}",
    `function tableRows_(input${T(": unknown")}, count${T("?: number")})${T(": Float64Array | Float32Array")} {`,
    `  let n${T(": number")};`,
    `  let out${T(": Float64Array")};`,
    "  if (input instanceof Float64Array || input instanceof Float32Array) {",
    anyCategory
      ? `    throw new TypeError(${msg("this model has string columns: pass rows as arrays or objects, or an object of columns")});`
      : `    if (count == null) count = input.length / ${NF};\n    if (!Number.isInteger(count) || count < 0 || count * ${NF} !== input.length) throw new RangeError(${msg(`expected nRows × ${NF} values, got nRows = `)} + count + " and " + input.length + " values");\n    return input;`,
    "  } else if (Array.isArray(input)) {",
    "    n = input.length;",
    `    out = new Float64Array(n * ${NF});`,
    `    for (let r = 0; r < n; r++) tableRow_(input[r], out, r * ${NF});`,
    '  } else if (typeof input === "object" && input !== null && !ArrayBuffer.isView(input)) {',
    `    const c = input${T(" as Record<string, unknown>")};`,
    "    n = -1;",
    `    for (let i = 0; i < ${NF}; i++) {`,
    `      const k = COLS[i]${T("!")};`,
    `      const col = Object.hasOwn(c, k) ? c[k] : null;`,
    `      if (col == null || typeof (col${T(" as ArrayLike<unknown>")}).length !== "number") throw new TypeError(${msg("the batch has no column ")} + QCOLS[i]);`,
    `      const len = (col${T(" as ArrayLike<unknown>")}).length;`,
    "      if (n < 0) n = len;",
    `      else if (len !== n) throw new RangeError(${msg("columns of different lengths: ")} + QCOLS[i] + " has " + len + ", not " + n);`,
    "    }",
    "    if (n < 0) n = 0;",
    `    out = new Float64Array(n * ${NF});`,
    `    for (let i = 0; i < ${NF}; i++) {`,
    `      const col = c[COLS[i]${T("!")}]${T(" as ArrayLike<unknown>")};`,
    `      for (let r = 0; r < n; r++) out[r * ${NF} + i] = tableCell_(col[r], i);`,
    "    }",
    `  } else throw new TypeError(${msg("a batch must be an array of rows or an object of columns")});`,
    `  if (count != null && count !== n) throw new RangeError(${msg("nRows is ")} + count + " but the batch has " + n + " rows");`,
    "  return out;",
    "}",
  );
  return lines;
}
