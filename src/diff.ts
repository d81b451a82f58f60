// Parity check as a library call: compile a model in memory, predict rows, compare with the library's outputs.

import { chooseStyle, STYLES, textOf, type Style } from "../emitters/registry.ts";
import { type CompileInput, compileIr, importModel, isPathInput } from "./compile.ts";
import { type GeneratedModule, importJs } from "./compiledModule.ts";
import { CompileError } from "./errors.ts";
import { readFileText } from "./io/readFile.ts";
import { parseTolerantJson } from "./io/readJson.ts";
import { parseRowsCsv, parseRowsJson, type Rows } from "./io/readRows.ts";
import { parseTableRows } from "./io/readTableRows.ts";
import { byRowIndex, ruleByRowIndex } from "./parityTable.ts";
import { rowEncoder } from "./ir/columns.ts";
import type { InputColumn, ModelIR } from "./ir/types.ts";
import type { LoadOptions } from "./loadModel.ts";
import { EXPECTED_KEYS } from "./diffKeys.ts";
import { compareWithExpected, defaultRule, type ExpectedOutputs, type ParityReport, type Rule } from "./parity.ts";

/** Rows: a CSV or JSON file, CSV/JSON text, or numbers (NaN or null = missing). */
export type RowsInput = { path: string } | { csv: string } | { json: string } | readonly (readonly (number | null)[])[];

export interface DiffOptions extends LoadOptions {
  /** the model's file name, for messages (the path itself for `{ path }` input) */
  file?: string;
  rows: RowsInput;
  /** the expected-outputs file, or its parsed content */
  expected: { path: string } | ExpectedOutputs;
  /** the style to check, or "all" (default: the style `compile` picks) */
  style?: Style | "auto" | "all";
  /** accept absolute differences up to this (never used by modelc's own tests) */
  tolerance?: number;
  /** how many of the worst mismatches each report keeps (default 10) */
  show?: number;
}

export interface DiffResult {
  ok: boolean;
  reports: { style: Style; report: ParityReport }[];
}

export async function diff(input: CompileInput, options: DiffOptions): Promise<DiffResult> {
  const modelFile = isPathInput(input) ? input.path : options.file;
  const ir = importModel(input, { ...options, file: modelFile });
  const data = ir.columns ? tableRows(ir.columns, options.rows) : numericRows(ir, options.rows);
  const expected = readExpected(options.expected);
  if (options.tolerance !== undefined && !(options.tolerance >= 0)) throw new CompileError("E_USAGE", "--tolerance must be a non-negative number");
  const rule: Rule = data.rule(options.tolerance !== undefined ? { kind: "tolerance", abs: options.tolerance } : defaultRule(ir));
  const requested = options.style ?? "auto";
  const styles: Style[] = requested === "all" ? [...STYLES] : [chooseStyle(ir, requested)];
  const expectedFile = "path" in options.expected && typeof options.expected.path === "string" ? options.expected.path : undefined;
  const reports: DiffResult["reports"] = [];
  for (const style of styles) {
    const { files } = await compileIr(ir, { file: modelFile, target: "js", style });
    const mod = data.view(await importJs(textOf(files[0]!)));
    const report = compareWithExpected(mod, data.rows, data.nRows, data.nCols, expected, rule, options.show ?? 10, expectedFile);
    reports.push({ style, report });
  }
  if (reports.every((r) => r.report.outputs.length === 0))
    throw new CompileError(
      "E_INPUT",
      "nothing to compare: the expected outputs have none of the model's outputs",
      { file: expectedFile },
      `keys: ${EXPECTED_KEYS.map((k) => k[0]).join(", ")}`,
    );
  return { ok: reports.every((r) => r.report.ok), reports };
}

/** The rows as compareWithExpected walks them, the module as it sees it, and the rule as it reads a row. */
interface DiffRows {
  rows: Float64Array;
  nRows: number;
  nCols: number;
  view: (mod: GeneratedModule) => GeneratedModule;
  rule: (rule: Rule) => Rule;
}

function numericRows(ir: ModelIR, r: RowsInput): DiffRows {
  const rows = readRows(r);
  if (rows.nCols !== ir.nFeatures)
    throw new CompileError("E_INPUT", `rows have ${rows.nCols} columns, the model expects ${ir.nFeatures} features`, { file: rowsFile(r), line: 1 });
  return { rows: rows.rows, nRows: rows.nRows, nCols: rows.nCols, view: (m) => m, rule: (x) => x };
}

/**
 * A table model (ModelIR.columns): rows with strings, read in column order (src/io/readTableRows.ts) and given to the
 * module as its users give them; the comparison walks row indices (it knows numeric rows only), and the rule reads
 * the row's encoded numbers.
 */
function tableRows(cols: readonly InputColumn[], r: RowsInput): DiffRows {
  let rows: unknown[][];
  if (isPathInput(r)) rows = parseTableRows(readFileText(r.path), cols, /\.json$/i.test(r.path) ? "json" : "csv", r.path);
  else if ("csv" in r && typeof r.csv === "string") rows = parseTableRows(r.csv, cols, "csv");
  else if ("json" in r && typeof r.json === "string") rows = parseTableRows(r.json, cols, "json");
  else if (Array.isArray(r)) rows = parseTableRows(JSON.stringify(r), cols, "json");
  else throw new CompileError("E_USAGE", "rows are { path }, { csv }, { json } or an array of rows");
  const encode = rowEncoder(cols);
  const encoded = rows.map((row, i) => {
    try {
      return encode(row);
    } catch (e) {
      throw new CompileError("E_INPUT", `row ${i + 1}: ${(e as Error).message}`, { file: rowsFile(r) });
    }
  });
  return {
    rows: Float64Array.from(rows, (_, i) => i),
    nRows: rows.length,
    nCols: 1,
    view: (mod) => byRowIndex(mod, rows),
    rule: (rule) => ruleByRowIndex(rule, encoded),
  };
}

function rowsFile(r: RowsInput): string | undefined {
  return isPathInput(r) ? r.path : undefined;
}

function readRows(r: RowsInput): Rows {
  if (isPathInput(r)) {
    const text = readFileText(r.path);
    return /\.json$/i.test(r.path) ? parseRowsJson(text, r.path) : parseRowsCsv(text, r.path);
  }
  if ("csv" in r && typeof r.csv === "string") return parseRowsCsv(r.csv);
  if ("json" in r && typeof r.json === "string") return parseRowsJson(r.json);
  if (Array.isArray(r)) {
    const data = (r as readonly (readonly (number | null)[])[]).map((row) => row.map((v) => (v === null || Number.isNaN(v) ? null : v)));
    return parseRowsJson(JSON.stringify(data));
  }
  throw new CompileError("E_USAGE", "rows are { path }, { csv }, { json } or an array of rows");
}

function readExpected(e: DiffOptions["expected"]): ExpectedOutputs {
  const file = isPathInput(e) ? e.path : undefined;
  const doc = file !== undefined ? parseTolerantJson(readFileText(file), file) : e;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new CompileError("E_INPUT", `expected outputs must be an object with some of ${EXPECTED_KEYS.map((k) => k[0]).join(", ")}`, { file, path: "$" });
  return doc as ExpectedOutputs;
}
