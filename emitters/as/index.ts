// The WebAssembly target: generated AssemblyScript (--target as) and .wasm + loader (-o model.wasm).

import type { ModelIR } from "../../src/ir/types.ts";
import { generatedBanner } from "../banner.ts";
import type { IfElseLimits } from "../lower/limits.ts";
import type { Style } from "../style.ts";
import { compileAsProgram, type WasmBuildOptions } from "./compile.ts";
import { loaderCore, loaderSource, type LoaderOptions } from "./loader.ts";
import { emitAsProgram, type AsUnit } from "./module.ts";

export type { AsUnit } from "./module.ts";
export type { WasmBuildOptions } from "./compile.ts";
export type { LoaderOptions } from "./loader.ts";
export { loaderCore };

export interface WasmEmitOptions extends WasmBuildOptions {
  ifelseLimits?: IfElseLimits;
}

const generated = (what: string, style: string) => generatedBanner({ what, style });

/** Self-contained AssemblyScript source of a model (tables inline), for users who build it themselves. */
export function emitAssemblyScript(ir: ModelIR, style: Style, opts: WasmEmitOptions = {}): string {
  const prog = emitAsProgram([{ ir, style, prefix: "", ifelseLimits: opts.ifelseLimits }], "inline", "");
  const enable = (prog.features ?? []).map((f) => ` --enable ${f}`).join("");
  const header = [
    generated("AssemblyScript", style),
    `// Build: npx asc model.ts -O3 --runtime stub --noAssert --use abort=${enable} -o model.wasm`,
    "// ABI: exported memory; reserve(bytes) -> address of free memory (grown as needed, 0 on failure);",
    `// predictBatch / predictRawBatch / predictProbaBatch${ir.outlier ? " / scoreSamplesBatch" : ""}(rows, nRows, out): rows of the model's input type`,
    `// (${ir.inputCast === "float32" ? "f32" : "f64"}, row-major) at \`rows\`, f64 results written at \`out\`.`,
  ].join("\n");
  return `${header}\n\n${prog.source}`;
}

export interface WasmOutput {
  wasm: Uint8Array<ArrayBuffer>;
  /** the ES-module loader for the .wasm saved as `wasmFile` beside it */
  loader(wasmFile: string, opts?: LoaderOptions): string;
}

/** The .wasm of a model and its loader. */
export async function emitWasm(ir: ModelIR, style: Style, opts: WasmEmitOptions = {}): Promise<WasmOutput> {
  const prog = emitAsProgram([{ ir, style, prefix: "", ifelseLimits: opts.ifelseLimits }], "blob", generated("WebAssembly", style));
  const wasm = await compileAsProgram(prog, opts);
  return { wasm, loader: (wasmFile, lo) => loaderSource(ir, wasmFile, `${generated("WebAssembly loader", style)}\n/* eslint-disable */`, lo) };
}

/** One .wasm holding several models (export prefixes from the units); bind each with loaderCore's `bind`. */
export async function emitWasmMulti(units: AsUnit[], opts: WasmBuildOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  return compileAsProgram(emitAsProgram(units, "blob", generated("WebAssembly", "mixed")), opts);
}
