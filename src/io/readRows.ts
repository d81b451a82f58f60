// Prediction rows (samples x features) from CSV or JSON.
//
// Result: feature names, and the values row-major in one Float64Array
// (rows[r * nCols + c]); NaN marks a missing value.

import { CompileError, jsonPath } from "../errors.ts";
import { parseTolerantJson } from "./readJson.ts";

export interface Rows {
  header: string[];
  /** row-major: value of row r, column c is rows[r * nCols + c]; NaN = missing */
  rows: Float64Array;
  nRows: number;
  nCols: number;
}

const C_COMMA = 0x2c;
const C_LF = 0x0a;
const C_CR = 0x0d;
const C_QUOTE = 0x22;
const C_SPACE = 0x20;
const C_TAB = 0x09;
const C_PLUS = 0x2b;
const C_MINUS = 0x2d;
const C_DOT = 0x2e;
const C_0 = 0x30;

/** Exact powers of ten as doubles (10^0 .. 10^22 are all exactly representable). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * Value of text[s, e) if it is a decimal literal `[+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?`,
 * exactly as Number() would give it; otherwise undefined.
 *
 * Fast path (Clinger): with at most 15 significant-or-not digits the digits
 * form an integer m < 2^53 that is exact in a double, and for |exp| <= 22
 * 10^|exp| is exact too, so m * 10^exp or m / 10^-exp is one correctly
 * rounded IEEE operation: the same double as the correctly rounded Number().
 */
function decimalValue(text: string, s: number, e: number): number | undefined {
  let i = s;
  let neg = false;
  let c = text.charCodeAt(i);
  if (c === C_PLUS || c === C_MINUS) {
    neg = c === C_MINUS;
    i++;
  }
  let m = 0;
  let nDigits = 0;
  let fracDigits = 0;
  while (i < e) {
    c = text.charCodeAt(i) - C_0;
    if (c < 0 || c > 9) break;
    m = m * 10 + c;
    nDigits++;
    i++;
  }
  const intDigits = nDigits;
  if (i < e && text.charCodeAt(i) === C_DOT) {
    i++;
    while (i < e) {
      c = text.charCodeAt(i) - C_0;
      if (c < 0 || c > 9) break;
      m = m * 10 + c;
      nDigits++;
      i++;
    }
    fracDigits = nDigits - intDigits;
  }
  if (nDigits === 0) return undefined;
  let exp = 0;
  if (i < e && (text.charCodeAt(i) | 0x20) === 0x65 /* e */) {
    i++;
    let expNeg = false;
    c = text.charCodeAt(i);
    if (i < e && (c === C_PLUS || c === C_MINUS)) {
      expNeg = c === C_MINUS;
      i++;
    }
    const expStart = i;
    while (i < e) {
      c = text.charCodeAt(i) - C_0;
      if (c < 0 || c > 9) break;
      if (exp < 100000) exp = exp * 10 + c;
      i++;
    }
    if (i === expStart) return undefined;
    if (expNeg) exp = -exp;
  }
  if (i !== e) return undefined;
  const p = exp - fracDigits;
  if (nDigits <= 15 && p >= -22 && p <= 22) {
    const v = p >= 0 ? m * POW10[p]! : m / POW10[-p]!;
    return neg ? -v : v;
  }
  return Number(text.slice(s, e));
}

/** Lower-cased words that mean "missing" (besides the empty field and `NA`). */
function specialValue(field: string): number | undefined {
  if (field === "NA") return NaN;
  const w = field.toLowerCase();
  switch (w) {
    case "nan":
    case "+nan":
    case "-nan":
      return NaN;
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      return Infinity;
    case "-inf":
    case "-infinity":
      return -Infinity;
    default:
      return undefined;
  }
}

function isBlank(c: number): boolean {
  return c === C_SPACE || c === C_TAB;
}

/** Numeric value of a CSV field text[s, e) or undefined when it is not a number. */
function fieldValue(text: string, s: number, e: number): number | undefined {
  // surrounding spaces/tabs are ignored
  while (s < e && isBlank(text.charCodeAt(s))) s++;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  if (s === e) return NaN;
  const v = decimalValue(text, s, e);
  if (v !== undefined) return v;
  if (e - s > 9) return undefined;
  return specialValue(text.slice(s, e));
}

function showField(s: string): string {
  return JSON.stringify(s.length > 40 ? s.slice(0, 40) + "..." : s);
}

/** Cursor of the CSV scanner (shared by the rarely used helpers). */
interface Cursor {
  pos: number;
  line: number;
}

function csvSyntaxError(file: string | undefined, message: string, line: number, column: number): CompileError {
  return new CompileError("E_PARSE", message, { file, line, column });
}

/**
 * Read a quoted field whose opening quote is at `cur.pos`. Returns the
 * unescaped content and leaves `cur.pos` after the closing quote (and
 * `cur.line` advanced past line breaks inside the quotes).
 */
function readQuoted(text: string, cur: Cursor, field: number, file: string | undefined): string {
  const n = text.length;
  const startLine = cur.line;
  let line = cur.line;
  let i = cur.pos + 1;
  let out = "";
  let chunk = i;
  while (true) {
    const q = text.indexOf('"', i);
    if (q === -1) throw csvSyntaxError(file, `unterminated quoted field ${field + 1}`, startLine, field + 1);
    for (let k = i; k < q; k++) {
      const c = text.charCodeAt(k);
      if (c === C_LF) line++;
      else if (c === C_CR && text.charCodeAt(k + 1) !== C_LF) line++;
    }
    if (text.charCodeAt(q + 1) === C_QUOTE) {
      out += text.slice(chunk, q + 1);
      i = q + 2;
      chunk = i;
      continue;
    }
    out += text.slice(chunk, q);
    const after = q + 1;
    const c = text.charCodeAt(after);
    if (after < n && c !== C_COMMA && c !== C_LF && c !== C_CR) {
      throw csvSyntaxError(file, `unexpected character ${JSON.stringify(text[after])} after the closing quote of field ${field + 1}`, line, field + 1);
    }
    cur.pos = after;
    cur.line = line;
    return out;
  }
}

/**
 * Parse CSV rows. The first record is the header of feature names; each
 * following record is one sample. RFC 4180 quoting, LF or CRLF line ends,
 * final line end optional. Missing: empty field, nan (any case, optional
 * sign), NA. Infinity: inf / infinity (any case, optional sign).
 * Errors: E_INPUT (wrong field count, non-numeric value) and E_PARSE (broken
 * quoting), with 1-based `line` and `column` = field index + 1.
 */
export function parseRowsCsv(text: string, file?: string): Rows {
  const n = text.length;
  let pos = 0;
  if (n > 0 && text.charCodeAt(0) === 0xfeff) pos = 1;
  let line = 1;
  const cur: Cursor = { pos: 0, line: 1 };

  // ---- header
  if (pos >= n) throw new CompileError("E_INPUT", "empty CSV: expected a header line of feature names", { file, line: 1 });
  const header: string[] = [];
  while (true) {
    const field = header.length;
    // models read at most 2^24 features: a longer header is not one to predict with
    if (field >= 1 << 24) throw new CompileError("E_LIMIT", `more than ${1 << 24} columns in the header`, { file, line });
    if (pos < n && text.charCodeAt(pos) === C_QUOTE) {
      cur.pos = pos;
      cur.line = line;
      header.push(readQuoted(text, cur, field, file));
      pos = cur.pos;
      line = cur.line;
    } else {
      let e = pos;
      while (e < n) {
        const c = text.charCodeAt(e);
        if (c === C_COMMA || c === C_LF || c === C_CR) break;
        if (c === C_QUOTE) throw csvSyntaxError(file, `quote character inside the unquoted field ${field + 1}`, line, field + 1);
        e++;
      }
      header.push(text.slice(pos, e));
      pos = e;
    }
    if (pos >= n) break;
    const c = text.charCodeAt(pos);
    if (c === C_COMMA) {
      pos++;
      continue;
    }
    pos += c === C_CR && text.charCodeAt(pos + 1) === C_LF ? 2 : 1;
    line++;
    break;
  }
  const nCols = header.length;

  // ---- rows
  let buf = new Float64Array(Math.max(16, nCols * 1024));
  let nRows = 0;
  while (pos < n) {
    const rowLine = line;
    const base = nRows * nCols;
    if (base + nCols > buf.length) {
      const bigger = new Float64Array(Math.max(buf.length * 2, base + nCols));
      bigger.set(buf);
      buf = bigger;
    }
    let field = 0;
    while (true) {
      let v: number | undefined;
      const fieldLine = line;
      let raw: string | null = null;
      if (pos < n && text.charCodeAt(pos) === C_QUOTE) {
        cur.pos = pos;
        cur.line = line;
        raw = readQuoted(text, cur, field, file);
        pos = cur.pos;
        line = cur.line;
        v = fieldValue(raw, 0, raw.length);
      } else {
        // Fast path: a plain decimal number directly followed by a delimiter,
        // scanned in one pass (same arithmetic as decimalValue).
        let i = pos;
        let c = text.charCodeAt(i);
        let neg = false;
        if (c === C_MINUS || c === C_PLUS) {
          neg = c === C_MINUS;
          c = text.charCodeAt(++i);
        }
        let m = 0;
        let nd = 0;
        let fd = 0;
        while (c >= 0x30 && c <= 0x39) {
          m = m * 10 + (c - 0x30);
          nd++;
          c = text.charCodeAt(++i);
        }
        if (c === C_DOT) {
          c = text.charCodeAt(++i);
          while (c >= 0x30 && c <= 0x39) {
            m = m * 10 + (c - 0x30);
            nd++;
            fd++;
            c = text.charCodeAt(++i);
          }
        }
        let ok = nd > 0;
        let exp = 0;
        if (ok && (c | 0x20) === 0x65) {
          c = text.charCodeAt(++i);
          let expNeg = false;
          if (c === C_MINUS || c === C_PLUS) {
            expNeg = c === C_MINUS;
            c = text.charCodeAt(++i);
          }
          let ed = 0;
          while (c >= 0x30 && c <= 0x39) {
            if (exp < 100000) exp = exp * 10 + (c - 0x30);
            ed++;
            c = text.charCodeAt(++i);
          }
          if (ed === 0) ok = false;
          if (expNeg) exp = -exp;
        }
        if (ok && (i >= n || c === C_COMMA || c === C_LF || c === C_CR)) {
          const p = exp - fd;
          if (nd <= 15 && p >= -22 && p <= 22) {
            v = p >= 0 ? m * POW10[p]! : m / POW10[-p]!;
            if (neg) v = -v;
          } else {
            v = Number(text.slice(pos, i));
          }
          pos = i;
        } else {
          let e = pos;
          while (e < n) {
            c = text.charCodeAt(e);
            if (c === C_COMMA || c === C_LF || c === C_CR) break;
            if (c === C_QUOTE) throw csvSyntaxError(file, `quote character inside the unquoted field ${field + 1}`, line, field + 1);
            e++;
          }
          v = fieldValue(text, pos, e);
          if (v === undefined) raw = text.slice(pos, e);
          pos = e;
        }
      }
      if (field < nCols) {
        if (v === undefined) {
          throw new CompileError("E_INPUT", `row ${nRows + 1}, column ${field + 1} (${showField(header[field]!)}): ${showField(raw!)} is not a number`, {
            file,
            line: fieldLine,
            column: field + 1,
          });
        }
        buf[base + field] = v;
      }
      field++;
      if (pos >= n) break;
      const c = text.charCodeAt(pos);
      if (c === C_COMMA) {
        pos++;
        continue;
      }
      pos += c === C_CR && text.charCodeAt(pos + 1) === C_LF ? 2 : 1;
      line++;
      break;
    }
    if (field !== nCols) {
      throw new CompileError(
        "E_INPUT",
        `row ${nRows + 1} has ${field} field${field === 1 ? "" : "s"}, expected ${nCols}`,
        { file, line: rowLine, column: field < nCols ? field + 1 : nCols + 1 },
        field === 1 && nCols > 1 ? "an empty line counts as a row with one empty field" : undefined,
      );
    }
    nRows++;
  }
  return { header, rows: buf.slice(0, nRows * nCols), nRows, nCols };
}

// ---------------------------------------------------------------------------
// JSON rows

function jsonCell(v: unknown, path: (string | number)[], file: string | undefined, what: string): number {
  if (typeof v === "number") return v;
  if (v === null) return NaN;
  throw new CompileError("E_INPUT", `${what} must be a number or null, found ${v === undefined ? "nothing" : Array.isArray(v) ? "an array" : typeof v}`, {
    file,
    path: jsonPath(path),
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fromArrays(data: unknown[], header: string[] | null, file: string | undefined, dataPath: (string | number)[]): Rows {
  const nRows = data.length;
  let nCols = header ? header.length : -1;
  for (let r = 0; r < nRows; r++) {
    const row = data[r];
    if (!Array.isArray(row)) {
      throw new CompileError("E_INPUT", `row ${r + 1} must be an array of numbers`, { file, path: jsonPath([...dataPath, r]) });
    }
    if (nCols < 0) nCols = row.length;
    if (row.length !== nCols) {
      throw new CompileError("E_INPUT", `row ${r + 1} has ${row.length} value${row.length === 1 ? "" : "s"}, expected ${nCols}`, {
        file,
        path: jsonPath([...dataPath, r]),
      });
    }
  }
  if (nCols < 0) nCols = 0;
  const rows = new Float64Array(nRows * nCols);
  for (let r = 0; r < nRows; r++) {
    const row = data[r] as unknown[];
    for (let c = 0; c < nCols; c++) {
      const v = row[c];
      rows[r * nCols + c] = typeof v === "number" ? v : jsonCell(v, [...dataPath, r, c], file, `row ${r + 1}, column ${c + 1}`);
    }
  }
  return { header: header ?? Array.from({ length: nCols }, (_, i) => `f${i}`), rows, nRows, nCols };
}

function fromRecords(data: unknown[], file: string | undefined): Rows {
  const index = new Map<string, number>();
  const header: string[] = [];
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!isPlainObject(row)) {
      throw new CompileError("E_INPUT", `row ${r + 1} must be an object like row 1`, { file, path: jsonPath([r]) });
    }
    for (const k of Object.keys(row)) {
      if (!index.has(k)) {
        index.set(k, header.length);
        header.push(k);
      }
    }
  }
  const nCols = header.length;
  const nRows = data.length;
  const rows = new Float64Array(nRows * nCols).fill(NaN);
  for (let r = 0; r < nRows; r++) {
    const row = data[r] as Record<string, unknown>;
    for (const k of Object.keys(row)) {
      const c = index.get(k)!;
      rows[r * nCols + c] = jsonCell(row[k], [r, k], file, `row ${r + 1}, ${JSON.stringify(k)}`);
    }
  }
  return { header, rows, nRows, nCols };
}

/**
 * Parse rows from JSON (NaN/Infinity tokens allowed). Accepted shapes:
 *  - `[[1, 2, null], ...]`: header is `f0, f1, ...` (XGBoost's default names);
 *  - `[{"a": 1, "b": null}, ...]`: header is the union of keys in first-seen
 *    order, a key missing from a row is a missing value (NaN);
 *  - `{"columns": ["a", "b"], "data": [[1, 2], ...]}` (pandas `orient="split"`;
 *    an `index` member is ignored).
 * Values: numbers, or null for missing. Errors: E_PARSE from the JSON reader,
 * E_INPUT with the JSON `path` of the offending row/value.
 */
export function parseRowsJson(text: string, file?: string): Rows {
  const doc = parseTolerantJson(text, file);
  if (Array.isArray(doc)) {
    if (doc.length === 0) return { header: [], rows: new Float64Array(0), nRows: 0, nCols: 0 };
    if (Array.isArray(doc[0])) return fromArrays(doc, null, file, []);
    if (isPlainObject(doc[0])) return fromRecords(doc, file);
    throw new CompileError("E_INPUT", "row 1 must be an array of numbers or an object keyed by feature name", {
      file,
      path: jsonPath([0]),
    });
  }
  if (isPlainObject(doc) && "columns" in doc && "data" in doc) {
    const cols = doc.columns;
    if (!Array.isArray(cols)) throw new CompileError("E_INPUT", "columns must be an array of feature names", { file, path: "$.columns" });
    const header = cols.map((c, i) => {
      if (typeof c === "string") return c;
      if (typeof c === "number") return String(c);
      throw new CompileError("E_INPUT", `column name ${i + 1} must be a string`, { file, path: jsonPath(["columns", i]) });
    });
    if (!Array.isArray(doc.data)) throw new CompileError("E_INPUT", "data must be an array of rows", { file, path: "$.data" });
    return fromArrays(doc.data, header, file, ["data"]);
  }
  throw new CompileError("E_INPUT", 'expected an array of rows (arrays or objects) or {"columns": [...], "data": [[...]]}', { file, path: "$" });
}
