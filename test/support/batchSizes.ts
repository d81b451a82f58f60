// Batches of any size (0, 1, around and across the tree-major blocks, Float64Array and Float32Array) give,
// row for row and bit for bit, what the single-row functions and the IR evaluator give.

import fc from "fast-check";
import type { GeneratedModule } from "../../src/compiledModule.ts";
import { evaluatePredictRaw, evaluateScoreSamples } from "../../src/ir/evaluate.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { interestingValues } from "./randomModel.ts";

/**
 * Batch sizes: the edges (0, 1, the JS table's lockstep of 8 rows ± 1, a block ± 1 for the blocks of 16 to 256 rows
 * the JS module picks by row width and the WASM module's 64, two blocks + 1) and any size up to a few blocks.
 */
export const batchSizeArb = fc.oneof(fc.constantFrom(0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 129, 255, 256, 257, 513), fc.integer({ min: 0, max: 600 }));

/** A batch of `n` rows of the model's hard values (those of rowsArb), drawn from a seed. */
export function batchOf(ir: ModelIR, n: number, seed: number): number[][] {
  const pool = interestingValues(ir);
  const value = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.double() });
  const row = fc.array(value, { minLength: ir.nFeatures, maxLength: ir.nFeatures });
  return fc.sample(fc.array(row, { minLength: n, maxLength: n }), { numRuns: 1, seed })[0]!;
}

function differs(a: number, b: number): boolean {
  return !Object.is(a, b);
}

/** Throws, naming the batch size, the function and the row, on the first value that differs. */
export function checkBatchSizes(ir: ModelIR, mod: GeneratedModule, batch: number[][], label: string): void {
  const n = batch.length;
  for (const flat of [Float64Array.from(batch.flat()), Float32Array.from(batch.flat())]) {
    const what = `${label}: ${flat.constructor.name} batch of ${n}`;
    const raw = mod.predictRawBatch(flat, n);
    const pred = mod.predictBatch(flat, n);
    const proba = mod.predictProbaBatch?.(flat, n);
    const score = mod.scoreSamplesBatch?.(flat, n);
    if ((score === undefined) !== (ir.outlier === undefined)) throw new Error(`${what}: scoreSamplesBatch presence differs from the IR's outlier`);
    const NO = ir.nOutputs;
    if (raw.length !== n * NO) throw new Error(`${what}: predictRawBatch gave ${raw.length} values`);
    for (let r = 0; r < n; r++) {
      const row = Array.from(flat.subarray(r * ir.nFeatures, (r + 1) * ir.nFeatures));
      const one = mod.predictRaw(row);
      // single-row vectors are plain arrays (batch results Float64Arrays)
      if (typeof one !== "number" && !Array.isArray(one)) throw new Error(`${what}: predictRaw row ${r} is not a number or an array`);
      // predictRaw: the raw scores, or an outlier detector's decision_function
      const ev = evaluatePredictRaw(ir, row);
      for (let k = 0; k < NO; k++) {
        const single = typeof one === "number" ? one : one[k]!;
        if (differs(raw[r * NO + k]!, single) || differs(single, ev[k]!))
          throw new Error(`${what}: predictRawBatch row ${r} slot ${k}: ${raw[r * NO + k]} vs predictRaw ${single} vs evaluator ${ev[k]}`);
      }
      const p = mod.predict(row);
      const per = pred.length / Math.max(n, 1);
      if (Array.isArray(p)) {
        for (let k = 0; k < p.length; k++)
          if (differs(pred[r * per + k]!, p[k]!)) throw new Error(`${what}: predictBatch row ${r}[${k}]: ${pred[r * per + k]} vs ${p[k]}`);
      } else if (typeof p === "string") {
        if (mod.meta.classes?.[pred[r]!] !== p) throw new Error(`${what}: predictBatch row ${r}: class ${pred[r]} vs ${p}`);
      } else if (typeof p !== "number") throw new Error(`${what}: predict row ${r} is not a number, a label or an array`);
      else if (differs(pred[r]!, p)) throw new Error(`${what}: predictBatch row ${r}: ${pred[r]} vs ${p}`);
      if (score) {
        const one = mod.scoreSamples!(row);
        const want = evaluateScoreSamples(ir, row)!;
        if (differs(score[r]!, one) || differs(one, want))
          throw new Error(`${what}: scoreSamplesBatch row ${r}: ${score[r]} vs scoreSamples ${one} vs evaluator ${want}`);
      }
      if (proba) {
        const q = mod.predictProba!(row);
        if (!Array.isArray(q)) throw new Error(`${what}: predictProba row ${r} is not an array`);
        for (let k = 0; k < q.length; k++)
          if (differs(proba[r * q.length + k]!, q[k]!)) throw new Error(`${what}: predictProbaBatch row ${r}[${k}]: ${proba[r * q.length + k]} vs ${q[k]}`);
      }
    }
  }
}
