// The f64x2 batch loops of linear and kernel models (emitters/as/linear.ts, kernel.ts: rows in pairs, 4 rows a step)
// and the loader's chunked copy of a batch into linear memory (emitters/as/loader.ts batchChunk) against the
// single-row functions and the IR evaluator, bit for bit, at the batch sizes where they change hands: 0, 1, the SIMD step ± 1, the wasm block (64)
// ± 1, and a chunk (and two) ± 1; rows of hard values (NaN, ±Infinity, -0, subnormals, huge and tiny values).

import fc from "fast-check";
import { describe, it } from "vitest";
import { batchChunk } from "../../emitters/as/loader.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { batchOf, checkBatchSizes } from "../support/batchSizes.ts";
import { kernelArb, linearArb, modelArb } from "../support/randomModel.ts";
import { buildWasmModels, type Unit } from "./support.ts";

const linear = fc.sample(linearArb, { numRuns: 24, seed: 20261207 });
const kernel = fc.sample(kernelArb, { numRuns: 16, seed: 20261208 });
// a few trees: the chunked copy is every model's
const trees = fc.sample(modelArb, { numRuns: 4, seed: 20261209 });
const units: Unit[] = [...linear, ...kernel, ...trees].map((ir) => ({ ir, style: "table" }));
const kindOf = (i: number) => (i < linear.length ? "linear" : i < linear.length + kernel.length ? "kernel" : "trees");

function sizes(ir: ModelIR): number[] {
  const xs = ir.inputCast === "float32" && !ir.preprocess ? 4 : 8;
  const c = batchChunk(ir.nFeatures * xs);
  return [0, 1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, c - 1, c, c + 1, 2 * c + 1];
}

describe("wasm linear and kernel SIMD batches, chunked copies", () => {
  it(`${units.length} random models, batches across the SIMD step, the block and the chunk`, async () => {
    const { models } = await buildWasmModels(units);
    for (const [i, u] of units.entries()) {
      const label = `${kindOf(i)} #${i} (${u.ir.nFeatures} features, ${u.ir.nOutputs} outputs)`;
      const ns = sizes(u.ir);
      const big = batchOf(u.ir, Math.max(...ns), 9000 + i);
      for (const n of ns) checkBatchSizes(u.ir, models[i]!, big.slice(0, n), label);
    }
  }, 600_000);
});
