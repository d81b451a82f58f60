// `modelc diff`: compile in memory, predict the given rows, compare with the library's outputs.

import { chooseStyle, STYLES, type Style } from "../../emitters/registry.ts";
import { textOf } from "../../emitters/target.ts";
import { compileIr, importModel } from "../compile.ts";
import { importJs } from "../compiledModule.ts";
import { CompileError } from "../errors.ts";
import { readFileText } from "../io/readFile.ts";
import { parseTolerantJson } from "../io/readJson.ts";
import { parseRowsCsv, parseRowsJson } from "../io/readRows.ts";
import type { LoadOptions } from "../loadModel.ts";
import { compareWithExpected, defaultRule, formatReport, type ExpectedOutputs, type ParityReport, type Rule } from "../parity.ts";

export interface DiffCliOptions extends LoadOptions {
  input: string;
  expected: string;
  style: Style | "auto" | "all";
  tolerance?: number;
  show: number;
  json?: boolean;
}

export async function runDiff(model: string, opts: DiffCliOptions): Promise<number> {
  const ir = importModel({ path: model }, opts);
  const text = readFileText(opts.input);
  const rows = /\.json$/i.test(opts.input) ? parseRowsJson(text, opts.input) : parseRowsCsv(text, opts.input);
  if (rows.nCols !== ir.nFeatures)
    throw new CompileError("E_INPUT", `rows have ${rows.nCols} columns, the model expects ${ir.nFeatures} features`, { file: opts.input, line: 1 });
  const expDoc = parseTolerantJson(readFileText(opts.expected), opts.expected);
  if (typeof expDoc !== "object" || expDoc === null || Array.isArray(expDoc))
    throw new CompileError("E_INPUT", "expected outputs must be an object {predict, predict_proba, raw}", { file: opts.expected, path: "$" });
  if (opts.tolerance !== undefined && !(opts.tolerance >= 0))
    throw new CompileError("E_USAGE", `--tolerance must be a non-negative number`);
  const rule: Rule = opts.tolerance !== undefined ? { kind: "tolerance", abs: opts.tolerance } : defaultRule(ir);
  const styles: Style[] = opts.style === "all" ? [...STYLES] : [chooseStyle(ir, opts.style)];
  const reports: { style: Style; report: ParityReport }[] = [];
  for (const style of styles) {
    const { files } = await compileIr(ir, { file: model, target: "js", style });
    const mod = await importJs(textOf(files[0]!));
    const report = compareWithExpected(mod, rows.rows, rows.nRows, rows.nCols, expDoc as ExpectedOutputs, rule, opts.show, opts.expected);
    reports.push({ style, report });
  }
  if (opts.json) process.stdout.write(JSON.stringify(reports, (_k, v) => (v === Infinity ? "Infinity" : v), 2) + "\n");
  else for (const r of reports) process.stdout.write(formatReport(r.report, `diff ${model} (${r.style})`) + "\n");
  const compared = reports.reduce((s, r) => s + r.report.outputs.length, 0);
  if (compared === 0) throw new CompileError("E_INPUT", "nothing to compare: no predict, predict_proba or raw outputs", { file: opts.expected });
  return reports.every((r) => r.report.ok) ? 0 : 1;
}
