// Neighbors models in WebAssembly agree bit for bit with the IR evaluator and the JS build on random small models and
// rows full of ties (test/support/knnModel.ts); all models in one module (one asc run).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileToModule } from "../../src/compiledModule.ts";
import { knnArb, knnRowsArb } from "../support/knnModel.ts";
import { buildWasmModels, checkAgainstEvaluator, same } from "./support.ts";

const CASES = fc.sample(knnArb, { numRuns: 30, seed: 20261206 }).map((ir, i) => ({
  ir,
  style: i % 2 === 0 ? ("table" as const) : ("ifelse" as const),
  rows: fc.sample(knnRowsArb(ir), { numRuns: 1, seed: 77 + i })[0]!,
}));

describe("WebAssembly neighbors models", () => {
  it(`${CASES.length} random neighbors models in one module`, async () => {
    const { models } = await buildWasmModels(CASES.map((c) => ({ ir: c.ir, style: c.style })));
    for (const [i, c] of CASES.entries()) {
      checkAgainstEvaluator(c.ir, models[i]!, c.rows, `knn #${i}`);
      const js = await compileToModule(c.ir, c.style);
      const flat = Float64Array.from(c.rows.flat());
      expect(same(models[i]!.predictBatch(flat, c.rows.length), js.predictBatch(flat, c.rows.length)), `knn #${i}`).toBe(true);
    }
  }, 120_000);
});
