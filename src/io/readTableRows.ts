// Rows of a table model (ModelIR.columns) for `modelc diff`: values stay as the model's users pass them (strings in
// category columns, numbers, null), in column order. From CSV with a header of column names (an empty field is
// missing; a number column's field is parsed as a number, a category column's kept as text), from the fixtures'
// JSON {"columns", "rows"} (python/fixtures/README.md), {"columns", "data"}, or an array of arrays / objects.

import { CompileError, jsonPath } from "../errors.ts";
import type { InputColumn } from "../ir/types.ts";
import { parseTolerantJson } from "./readJson.ts";

/** The rows as arrays in the model's column order. */
export function parseTableRows(text: string, columns: readonly InputColumn[], format: "csv" | "json", file?: string): unknown[][] {
  return format === "json" ? fromJson(text, columns, file) : fromCsv(text, columns, file);
}

function order(header: readonly string[], columns: readonly InputColumn[], file: string | undefined, at: { line?: number; path?: string }): number[] {
  return columns.map((c) => {
    const j = header.indexOf(c.name);
    if (j < 0) throw new CompileError("E_INPUT", `the rows have no column ${JSON.stringify(c.name)}`, { file, ...at });
    return j;
  });
}

function fromJson(text: string, columns: readonly InputColumn[], file?: string): unknown[][] {
  const doc = parseTolerantJson(text, file) as unknown;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  let header: string[] | undefined;
  let rows: unknown;
  let key = "rows";
  if (isObj(doc) && Array.isArray(doc.columns)) {
    header = doc.columns.map(String);
    key = "rows" in doc ? "rows" : "data";
    rows = doc[key];
  } else rows = doc;
  if (!Array.isArray(rows)) throw new CompileError("E_INPUT", 'expected an array of rows, or {"columns": [...], "rows": [[...]]}', { file, path: "$" });
  const idx = header ? order(header, columns, file, { path: "$.columns" }) : undefined;
  return rows.map((r, i) => {
    const path = jsonPath(header ? [key, i] : [i]);
    if (Array.isArray(r)) {
      const width = header ? header.length : columns.length;
      if (r.length !== width) throw new CompileError("E_INPUT", `expected ${width} values, got ${r.length}`, { file, path });
      return idx ? idx.map((j) => r[j]) : r;
    }
    if (isObj(r)) return columns.map((c) => r[c.name]);
    throw new CompileError("E_INPUT", "a row must be an array or an object by column name", { file, path });
  });
}

/** RFC 4180 fields: quoted fields may hold commas, quotes ("") and line breaks. */
function csvRecords(text: string, file?: string): { fields: string[]; quoted: boolean[]; line: number }[] {
  const out: { fields: string[]; quoted: boolean[]; line: number }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    const quoted: boolean[] = [];
    for (;;) {
      let v = "";
      let q = false;
      if (text[i] === '"') {
        q = true;
        i++;
        for (;;) {
          if (i >= n) throw new CompileError("E_INPUT", "unterminated quoted field", { file, line: start });
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              v += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === "\n") line++;
          v += ch;
          i++;
        }
      } else {
        const s = i;
        while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") i++;
        v = text.slice(s, i);
      }
      fields.push(v);
      quoted.push(q);
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "\r") i++;
      if (text[i] === "\n") {
        i++;
        line++;
      }
      break;
    }
    if (!(fields.length === 1 && fields[0] === "" && !quoted[0])) out.push({ fields, quoted, line: start });
  }
  return out;
}

function fromCsv(text: string, columns: readonly InputColumn[], file?: string): unknown[][] {
  const recs = csvRecords(text, file);
  if (recs.length === 0) throw new CompileError("E_INPUT", "empty CSV: expected a header line of column names", { file, line: 1 });
  const header = recs[0]!.fields.map((h) => h.trim());
  const idx = order(header, columns, file, { line: 1 });
  return recs.slice(1).map((r) => {
    if (r.fields.length !== header.length)
      throw new CompileError("E_INPUT", `expected ${header.length} fields, got ${r.fields.length}`, { file, line: r.line });
    return idx.map((j, k) => {
      const raw = r.fields[j]!;
      const c = columns[k]!;
      if (raw === "" && !r.quoted[j]) return null;
      if (c.kind === "category") return raw;
      const t = raw.trim();
      const v = /^nan$/i.test(t) ? Number.NaN : /^[+-]?inf(inity)?$/i.test(t) ? (t.startsWith("-") ? -Infinity : Infinity) : Number(t);
      if (t === "" || (Number.isNaN(v) && !/^nan$/i.test(t)))
        throw new CompileError("E_INPUT", `column ${JSON.stringify(c.name)}: ${JSON.stringify(raw)} is not a number`, { file, line: r.line });
      return v;
    });
  });
}
