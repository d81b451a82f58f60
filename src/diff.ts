// Parity check as a library call: compile a model in memory, predict rows, compare with the library's outputs.

import { chooseStyle, STYLES, textOf, type Style } from "../emitters/registry.ts";
import { type CompileInput, compileIr, importModel, isPathInput } from "./compile.ts";
import { importJs } from "./compiledModule.ts";
import { CompileError } from "./errors.ts";
import { readFileText } from "./io/readFile.ts";
import { parseTolerantJson } from "./io/readJson.ts";
import { parseRowsCsv, parseRowsJson, type Rows } from "./io/readRows.ts";
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
