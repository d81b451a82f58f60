// Test helpers for the WebAssembly target: many models in one .wasm (each asc run has a fixed cost of about a
// second), each bound through the loader's own `bind` code (emitters/as/loader.ts), and exact comparisons.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import { emitWasmMulti, loaderCore, type AsUnit } from "../../emitters/as/index.ts";
import type { GeneratedModule } from "../../src/compiledModule.ts";
import { evaluatePredict, evaluatePredictRaw, evaluateProba, evaluateScoreSamples } from "../../src/ir/evaluate.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { isVector, sameOutput } from "../support/sameOutput.ts";

export type Unit = Omit<AsUnit, "prefix">;

/** One module with all units; the API of each, bound by the loader's code. Also returns the .wasm. */
export async function buildWasmModels(units: Unit[]): Promise<{ models: GeneratedModule[]; wasm: Uint8Array<ArrayBuffer> }> {
  const withPrefix: AsUnit[] = units.map((u, i) => ({ ...u, prefix: `m${i}_` }));
  const wasm = await emitWasmMulti(withPrefix);
  const mod = new WebAssembly.Module(wasm);
  expect(WebAssembly.Module.imports(mod)).toEqual([]);
  const instance = new WebAssembly.Instance(mod, {});
  // each model's loader core in its own function scope, in one ES module
  const js =
    "export const binders = [\n" + units.map((u) => `(() => {\n${loaderCore(u.ir).replace(/^export /gm, "")}\nreturn bind;\n})()`).join(",\n") + "\n];\n";
  const dir = mkdtempSync(join(tmpdir(), "modelc-wasm-"));
  try {
    writeFileSync(join(dir, "bind.mjs"), js);
    const { binders } = (await import(pathToFileURL(join(dir, "bind.mjs")).href)) as {
      binders: ((e: WebAssembly.Exports, p: string) => GeneratedModule)[];
    };
    return { models: binders.map((b, i) => b(instance.exports, `m${i}_`)), wasm };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const same = sameOutput;

const show = (v: unknown) => (isVector(v) ? `[${Array.from(v).join(", ")}]` : String(v));

/**
 * Every output of `mod` on `rows` (single-row and batch forms, Float64Array and Float32Array batches) equals the
 * evaluator's, bit for bit. Throws naming the row and output.
 */
export function checkAgainstEvaluator(ir: ModelIR, mod: GeneratedModule, rows: number[][], label: string): void {
  const flat = Float64Array.from(rows.flat());
  const n = rows.length;
  const batchPredict = mod.predictBatch(flat, n);
  const batchRaw = mod.predictRawBatch(flat, n);
  const batchProba = mod.predictProbaBatch?.(flat, n);
  const batchScore = mod.scoreSamplesBatch?.(flat, n);
  const fail = (what: string, r: number, got: unknown, exp: unknown) => {
    throw new Error(`${label}: ${what} differs on row ${r} ${JSON.stringify(rows[r]!.map(String))}: got ${show(got)}, expected ${show(exp)}`);
  };
  if ((mod.scoreSamples === undefined) !== (ir.outlier === undefined) || (mod.scoreSamplesBatch === undefined) !== (ir.outlier === undefined))
    throw new Error(`${label}: scoreSamples presence differs from the IR's outlier (${ir.outlier?.kind})`);
  rows.forEach((row, r) => {
    // what predictRaw returns: the raw scores, or an outlier detector's decision_function
    const raw = evaluatePredictRaw(ir, row);
    const gotRaw = mod.predictRaw(row);
    if (!same(gotRaw, ir.nOutputs === 1 ? raw[0]! : raw)) fail("predictRaw", r, gotRaw, raw);
    // single-row vectors are plain arrays
    if (isVector(gotRaw) && !Array.isArray(gotRaw)) fail("predictRaw (not a plain array)", r, gotRaw, raw);
    for (let k = 0; k < ir.nOutputs; k++)
      if (!Object.is(batchRaw[r * ir.nOutputs + k], raw[k])) fail("predictRawBatch", r, batchRaw[r * ir.nOutputs + k], raw[k]);
    const score = evaluateScoreSamples(ir, row);
    if (score !== undefined) {
      const got = mod.scoreSamples!(row);
      if (!Object.is(got, score)) fail("scoreSamples", r, got, score);
      if (!Object.is(batchScore![r], score)) fail("scoreSamplesBatch", r, batchScore![r], score);
    }
    const pred = evaluatePredict(ir, row);
    const gotPred = mod.predict(row);
    if (!same(gotPred, pred)) fail("predict", r, gotPred, pred);
    if (isVector(gotPred) && !Array.isArray(gotPred)) fail("predict (not a plain array)", r, gotPred, pred);
    if (pred instanceof Float64Array) {
      pred.forEach((v, k) => {
        if (!Object.is(batchPredict[r * pred.length + k], v)) fail("predictBatch", r, batchPredict[r * pred.length + k], v);
      });
    } else if (typeof pred === "number" && !Object.is(batchPredict[r], pred)) fail("predictBatch", r, batchPredict[r], pred);
    const proba = evaluateProba(ir, row);
    if ((proba === undefined) !== (mod.predictProba === undefined)) fail("predictProba presence", r, mod.predictProba, proba);
    if (proba) {
      const got = mod.predictProba!(row);
      if (!same(got, proba)) fail("predictProba", r, got, proba);
      if (!Array.isArray(got)) fail("predictProba (not a plain array)", r, got, proba);
      proba.forEach((v, k) => {
        if (!Object.is(batchProba![r * proba.length + k], v)) fail("predictProbaBatch", r, batchProba![r * proba.length + k], v);
      });
    }
  });
  // a Float32Array batch gives what its float32 values give as doubles
  const f32 = Float32Array.from(flat);
  const raw32 = mod.predictRawBatch(f32, n);
  const raw64 = mod.predictRawBatch(Float64Array.from(f32), n);
  if (!same(raw32, raw64)) throw new Error(`${label}: Float32Array batch differs from its Float64Array copy`);
}
