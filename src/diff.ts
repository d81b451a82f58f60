// Parity check as a library call: compile a model in memory, predict rows, compare with the library's outputs.

import { chooseStyle, STYLES, textOf, type Style } from "../emitters/registry.ts";
import { type CompileInput, compileIr, importModel, isPathInput } from "./compile.ts";
import { importJs } from "./compiledModule.ts";
import { CompileError } from "./errors.ts";
import { readFileText } from "./io/readFile.ts";
import { parseTolerantJson } from "./io/readJson.ts";
import { parseRowsCsv, parseRowsJson, type Rows } from "./io/readRows.ts";
import { parseTableRows } from "./io/readTableRows.ts";
import { rowEncoder } from "./ir/columns.ts";
import type { ModelIR } from "./ir/types.ts";
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
  if (ir.columns) return diffTable(ir, modelFile, options);
  const rows = readRows(options.rows);
  if (rows.nCols !== ir.nFeatures)
    throw new CompileError("E_INPUT", `rows have ${rows.nCols} columns, the model expects ${ir.nFeatures} features`, { file: rowsFile(options.rows), line: 1 });
  const expected = readExpected(options.expected);
  if (options.tolerance !== undefined && !(options.tolerance >= 0)) throw new CompileError("E_USAGE", "--tolerance must be a non-negative number");
  const rule: Rule = options.tolerance !== undefined ? { kind: "tolerance", abs: options.tolerance } : defaultRule(ir);
  const requested = options.style ?? "auto";
  const styles: Style[] = requested === "all" ? [...STYLES] : [chooseStyle(ir, requested)];
  const expectedFile = "path" in options.expected && typeof options.expected.path === "string" ? options.expected.path : undefined;
  const reports: DiffResult["reports"] = [];
  for (const style of styles) {
    const { files } = await compileIr(ir, { file: modelFile, target: "js", style });
    const mod = await importJs(textOf(files[0]!));
    const report = compareWithExpected(mod, rows.rows, rows.nRows, rows.nCols, expected, rule, options.show ?? 10, expectedFile);
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

/**
 * A table model (ModelIR.columns): rows with strings, read in column order (src/io/readTableRows.ts) and given to the
 * module as its users give them; the comparison walks row indices (it knows numeric rows only).
 */
async function diffTable(ir: ModelIR, modelFile: string | undefined, options: DiffOptions): Promise<DiffResult> {
  const cols = ir.columns!;
  const r = options.rows;
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
  const expected = readExpected(options.expected);
  if (options.tolerance !== undefined && !(options.tolerance >= 0)) throw new CompileError("E_USAGE", "--tolerance must be a non-negative number");
  let rule: Rule = options.tolerance !== undefined ? { kind: "tolerance", abs: options.tolerance } : defaultRule(ir);
  if (rule.kind === "ulps" && rule.rowAbs) {
    const f = rule.rowAbs;
    rule = { ...rule, rowAbs: (x) => f(encoded[x[0]!]!) };
  }
  const index = Float64Array.from(rows, (_, i) => i);
  const requested = options.style ?? "auto";
  const styles: Style[] = requested === "all" ? [...STYLES] : [chooseStyle(ir, requested)];
  const expectedFile = "path" in options.expected && typeof options.expected.path === "string" ? options.expected.path : undefined;
  const reports: DiffResult["reports"] = [];
  for (const style of styles) {
    const { files } = await compileIr(ir, { file: modelFile, target: "js", style });
    const mod = await importJs(textOf(files[0]!));
    const at = (x: ArrayLike<number>) => rows[x[0]!] as unknown as ArrayLike<number>;
    const view = {
      ...mod,
      predict: (x: ArrayLike<number>) => mod.predict(at(x)),
      predictRaw: (x: ArrayLike<number>) => mod.predictRaw(at(x)),
      predictProba: mod.predictProba && ((x: ArrayLike<number>) => mod.predictProba!(at(x))),
      scoreSamples: mod.scoreSamples && ((x: ArrayLike<number>) => mod.scoreSamples!(at(x))),
    } as typeof mod;
    reports.push({ style, report: compareWithExpected(view, index, rows.length, 1, expected, rule, options.show ?? 10, expectedFile) });
  }
  if (reports.every((x) => x.report.outputs.length === 0))
    throw new CompileError("E_INPUT", "nothing to compare: the expected outputs have none of the model's outputs", { file: expectedFile });
  return { ok: reports.every((x) => x.report.ok), reports };
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
