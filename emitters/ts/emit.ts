// The TypeScript printer's entry: a style's body inside the module writer, and JavaScript through esbuild.

import type { ModelIR } from "../../src/ir/types.ts";
import type { Style } from "../style.ts";
import { transformJs } from "../transformJs.ts";
import type { Body } from "./body.ts";
import type { IfElseLimits } from "../lower/limits.ts";
import { emitComposite } from "./composite.ts";
import { emitIfElse } from "./ifelse.ts";
import { emitKernel } from "./kernel.ts";
import { emitLinear } from "./linear.ts";
import { emitMlp } from "./mlp.ts";
import { emitNeighbors } from "./neighbors.ts";
import { writeModule } from "./module.ts";
import { emitTable } from "./table.ts";

export interface EmitOptions {
  /** override the ifelse style's function-size limits (tests use tiny ones) */
  ifelseLimits?: IfElseLimits;
  minify?: boolean;
  /** import runtime helpers from this specifier instead of inlining them */
  runtimeImport?: string;
  /** the JavaScript module format (default esm); cjs for a .cjs file or a .js file in a CommonJS package */
  moduleFormat?: "esm" | "cjs";
}

function body(ir: ModelIR, style: Style, opts: EmitOptions): Body {
  if (ir.model.kind === "linear") return emitLinear(ir, ir.model, style);
  if (ir.model.kind === "kernel") return emitKernel(ir, ir.model);
  if (ir.model.kind === "mlp") return emitMlp(ir, ir.model);
  if (ir.model.kind === "neighbors") return emitNeighbors(ir, ir.model);
  if (ir.model.kind === "composite") return emitComposite(ir, ir.model, style, (m) => body(m, style, opts));
  return style === "ifelse" ? emitIfElse(ir, ir.model, opts.ifelseLimits) : emitTable(ir, ir.model);
}

/** The generated TypeScript module. */
export function emitTypeScript(ir: ModelIR, style: Style, opts: EmitOptions = {}): string {
  return writeModule(ir, body(ir, style, opts), { style, runtimeImport: opts.runtimeImport });
}

/** The generated ES module (JavaScript), through esbuild. */
export async function emitJavaScript(ir: ModelIR, style: Style, opts: EmitOptions = {}): Promise<string> {
  return (await tsToJsPieces(emitTypeScript(ir, style, opts), opts.minify, opts.moduleFormat)).join("");
}

/**
 * The same module as consecutive pieces (concatenated they are emitJavaScript's text): big models'
 * base64 tables stay separate strings, so writing them never builds one giant string.
 */
export async function emitJavaScriptPieces(ir: ModelIR, style: Style, opts: EmitOptions = {}): Promise<string[]> {
  return tsToJsPieces(emitTypeScript(ir, style, opts), opts.minify, opts.moduleFormat);
}

export async function tsToJs(ts: string, minify = false): Promise<string> {
  return (await tsToJsPieces(ts, minify)).join("");
}

async function tsToJsPieces(ts: string, minify = false, format: "esm" | "cjs" = "esm"): Promise<string[]> {
  // Long base64 table literals (typedConst) pass around esbuild: a placeholder goes through the
  // transform and the text is put back, which keeps big models' compile time linear and small.
  const tables: string[] = [];
  const slim = liftTables(ts, tables);
  const code = await transformJs(slim, { loader: "ts", target: "es2020", minify, format });
  if (tables.length === 0) return [code];
  // split() with a capture group: even entries are code, odd ones table numbers
  return code.split(/__modelc_table_(\d+)__/).map((part, i) => (i % 2 === 0 ? part : tables[Number(part)]!));
}

/**
 * Replace the base64 arguments of typedConst's decoders (`decodeF64("…")` etc., 4096+ characters) by
 * numbered placeholders. User strings cannot contain `decodeF64("`: strLit escapes every quote.
 */
function liftTables(ts: string, tables: string[]): string {
  const parts: string[] = [];
  let from = 0;
  for (let at = ts.indexOf("decode", from); at !== -1; at = ts.indexOf("decode", at + 6)) {
    const open = at + 9; // decodeXYZ("
    if (ts.charCodeAt(open) !== 40 /* ( */ || ts.charCodeAt(open + 1) !== 34 /* " */ || !/^decode(F64|F32|I32|U32)$/.test(ts.slice(at, open))) continue;
    const start = open + 2;
    const end = ts.indexOf('"', start);
    if (end === -1) break;
    if (end - start >= 4096) {
      parts.push(ts.slice(from, start), `__modelc_table_${tables.push(ts.slice(start, end)) - 1}__`);
      from = end;
    }
    at = end;
  }
  parts.push(ts.slice(from));
  return parts.join("");
}
