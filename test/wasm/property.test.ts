// The WebAssembly build, the JS build and the IR evaluator agree bit for bit on random models and hard rows (NaN,
// ±Infinity, -0, subnormals, thresholds and their float32 neighbours; test/support/randomModel.ts). Compiling
// AssemblyScript costs about a second per asc run, so the random models of all styles go into one module: the
// models are fast-check samples from fixed seeds (reproducible; a failure names the model's index and seed).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileToModule } from "../../src/compiledModule.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { batchOf, batchSizeArb, checkBatchSizes } from "../support/batchSizes.ts";
import { kernelArb, linearArb, medianArb, modelArb, nextUpF32, rowsArb } from "../support/randomModel.ts";
import { buildWasmModels, checkAgainstEvaluator, same, type Unit } from "./support.ts";

const TINY = { nodesPerFunction: 2, depthPerFunction: 2, treesPerGroup: 2 };

interface Case {
  name: string;
  unit: Unit;
  rows: number[][];
}

function cases(name: string, arb: fc.Arbitrary<ModelIR>, n: number, seed: number, unit: (ir: ModelIR) => Unit): Case[] {
  return fc.sample(arb, { numRuns: n, seed }).map((ir, i) => ({
    name: `${name} #${i} (seed ${seed})`,
    unit: unit(ir),
    rows: fc.sample(rowsArb(ir), { numRuns: 1, seed: seed + 1 + i })[0]!,
  }));
}

const ALL: Case[] = [
  ...cases("table", modelArb, 60, 20261121, (ir) => ({ ir, style: "table" })),
  ...cases("ifelse", modelArb, 60, 20261122, (ir) => ({ ir, style: "ifelse" })),
  ...cases("ifelse tiny limits", modelArb, 40, 7, (ir) => ({ ir, style: "ifelse", ifelseLimits: TINY })),
  ...cases("linear", linearArb, 30, 11, (ir) => ({ ir, style: "table" })),
  ...cases("kernel", kernelArb, 40, 13, (ir) => ({ ir, style: "table" })),
  ...cases("median table", medianArb, 20, 17, (ir) => ({ ir, style: "table" })),
  ...cases("median ifelse", medianArb, 20, 18, (ir) => ({ ir, style: "ifelse", ifelseLimits: TINY })),
  // the other input cast: float32 rows against double thresholds (scikit-learn trees), double rows against float32
  ...cases("recast table", modelArb.map(recast), 30, 31, (ir) => ({ ir, style: "table" })),
  ...cases("recast ifelse", modelArb.map(recast), 30, 32, (ir) => ({ ir, style: "ifelse" })),
];

/**
 * The other input cast; double thresholds are moved off float32 values (a third of the way to the next float32), so
 * that float32 rows meet thresholds that only double comparisons get right.
 */
function recast(ir: ModelIR): ModelIR {
  const m = ir.model;
  if (m.kind === "trees" && m.thresholdType === "float64") {
    const trees = m.trees.map((t) => {
      const threshold = t.threshold.map((v) => {
        const up = nextUpF32(Math.fround(v));
        return Number.isFinite(v) && Number.isFinite(up) && v !== 0 ? v + (up - v) / 3 : v;
      });
      return { ...t, threshold };
    });
    return { ...ir, inputCast: "float32", model: { ...m, trees } };
  }
  return { ...ir, inputCast: ir.inputCast === "float32" ? "float64" : "float32" };
}

describe("WebAssembly agrees with the evaluator and the JS build on random models", () => {
  it(`${ALL.length} random models in one module`, async () => {
    const { models } = await buildWasmModels(ALL.map((c) => c.unit));
    expect(models.length).toBe(ALL.length);
    for (const [i, c] of ALL.entries()) {
      const mod = models[i]!;
      checkAgainstEvaluator(c.unit.ir, mod, c.rows, c.name);
      // and the JS module of the same style, output for output
      const js = await compileToModule(c.unit.ir, c.unit.style, { ifelseLimits: c.unit.ifelseLimits });
      const flat = Float64Array.from(c.rows.flat());
      expect(same(mod.predictRawBatch(flat, c.rows.length), js.predictRawBatch(flat, c.rows.length)), c.name).toBe(true);
      expect(same(mod.predictBatch(flat, c.rows.length), js.predictBatch(flat, c.rows.length)), c.name).toBe(true);
      if (js.predictProbaBatch) expect(same(mod.predictProbaBatch!(flat, c.rows.length), js.predictProbaBatch(flat, c.rows.length)), c.name).toBe(true);
      if (js.scoreSamplesBatch) expect(same(mod.scoreSamplesBatch!(flat, c.rows.length), js.scoreSamplesBatch(flat, c.rows.length)), c.name).toBe(true);
      // batches of random sizes (0, 1, across the blocks): row for row what one row gives, WASM and JS alike
      for (const [k, n] of fc.sample(batchSizeArb, { numRuns: 2, seed: 4000 + i }).entries()) {
        const batch = batchOf(c.unit.ir, n, 5000 + 2 * i + k);
        checkBatchSizes(c.unit.ir, mod, batch, `${c.name} (wasm)`);
        checkBatchSizes(c.unit.ir, js, batch, `${c.name} (js)`);
      }
    }
  });
});
