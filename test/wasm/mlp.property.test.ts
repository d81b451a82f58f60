// Multi-layer perceptrons in WebAssembly: the wasm build, the JS build and the IR evaluator agree bit for bit on
// random networks (test/support/randomMlp.ts) and hard rows, single rows and batches of any size; all the networks
// go into one module (an asc run costs about a second).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileToModule } from "../../src/compiledModule.ts";
import { batchOf, batchSizeArb, checkBatchSizes } from "../support/batchSizes.ts";
import { mlpArb } from "../support/randomMlp.ts";
import { rowsArb } from "../support/randomModel.ts";
import { buildWasmModels, checkAgainstEvaluator, same, type Unit } from "./support.ts";

const SEED = 20261208;
const CASES = fc.sample(mlpArb, { numRuns: 40, seed: SEED }).map((ir, i) => ({
  name: `mlp #${i} (seed ${SEED})`,
  unit: { ir, style: i % 2 === 0 ? "table" : "ifelse" } as Unit,
  rows: fc.sample(rowsArb(ir), { numRuns: 1, seed: SEED + 1 + i })[0]!,
}));

describe("mlp: WebAssembly agrees with the evaluator and the JS build", () => {
  it(`${CASES.length} random networks in one module`, async () => {
    const { models } = await buildWasmModels(CASES.map((c) => c.unit));
    for (const [i, c] of CASES.entries()) {
      const mod = models[i]!;
      checkAgainstEvaluator(c.unit.ir, mod, c.rows, c.name);
      const js = await compileToModule(c.unit.ir, c.unit.style);
      const flat = Float64Array.from(c.rows.flat());
      expect(same(mod.predictRawBatch(flat, c.rows.length), js.predictRawBatch(flat, c.rows.length)), c.name).toBe(true);
      expect(same(mod.predictBatch(flat, c.rows.length), js.predictBatch(flat, c.rows.length)), c.name).toBe(true);
      if (js.predictProbaBatch) expect(same(mod.predictProbaBatch!(flat, c.rows.length), js.predictProbaBatch(flat, c.rows.length)), c.name).toBe(true);
      for (const [k, n] of fc.sample(batchSizeArb, { numRuns: 2, seed: 6000 + i }).entries()) {
        const batch = batchOf(c.unit.ir, n, 7000 + 2 * i + k);
        checkBatchSizes(c.unit.ir, mod, batch, `${c.name} (wasm)`);
        checkBatchSizes(c.unit.ir, js, batch, `${c.name} (js)`);
      }
    }
  });
});
