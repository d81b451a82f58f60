// Compiles an IR to JavaScript and imports it, for `diff` and tests: the same code a user ships.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { emitJavaScript, type EmitOptions, type Style } from "../emitters/registry.ts";
import type { ModelIR } from "./ir/types.ts";

/** The API of a generated module (SPEC.md "Generated module"). */
export interface GeneratedModule {
  meta: { name: string; task: string; nFeatures: number; nOutputs: number; classes?: readonly (number | string)[] };
  predict(x: ArrayLike<number>): number | string | Float64Array;
  predictRaw(x: ArrayLike<number>): number | Float64Array;
  predictProba?(x: ArrayLike<number>): Float64Array;
  predictProbaInto?(x: ArrayLike<number>, out: Float64Array, offset?: number): Float64Array;
  predictBatch(rows: Float64Array | Float32Array, nRows: number): Float64Array;
  predictRawBatch(rows: Float64Array | Float32Array, nRows: number): Float64Array;
  predictProbaBatch?(rows: Float64Array | Float32Array, nRows: number): Float64Array;
  /** outlier detectors (meta.outputs has "scoreSamples"): the library's score_samples */
  scoreSamples?(x: ArrayLike<number>): number;
  scoreSamplesBatch?(rows: Float64Array | Float32Array, nRows: number): Float64Array;
}

export async function importJs(js: string): Promise<GeneratedModule> {
  const dir = mkdtempSync(join(tmpdir(), "modelc-"));
  const file = join(dir, "model.mjs");
  try {
    writeFileSync(file, js);
    return (await import(pathToFileURL(file).href)) as GeneratedModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function compileToModule(ir: ModelIR, style: Style, opts: EmitOptions = {}): Promise<GeneratedModule> {
  return importJs(await emitJavaScript(ir, style, opts));
}
