// Every emitter and style agrees with the IR evaluator, bit for bit, on random models and hard rows.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STYLES } from "../emitters/registry.ts";
import { compileToModule, type GeneratedModule } from "../src/compiledModule.ts";
import { evaluatePredict, evaluatePredictRaw, evaluateProba, evaluateScoreSamples } from "../src/ir/evaluate.ts";
import type { ModelIR } from "../src/ir/types.ts";
import { batchOf, batchSizeArb, checkBatchSizes } from "./support/batchSizes.ts";
import { kernelArb, linearArb, medianArb, modelArb, numericTreesArb, rowsArb } from "./support/randomModel.ts";
import { sameOutput } from "./support/sameOutput.ts";

const TINY = { nodesPerFunction: 2, depthPerFunction: 2, treesPerGroup: 2 };

const same = sameOutput;

function checkRows(ir: ModelIR, mod: GeneratedModule, rows: number[][]): void {
  const flat = Float64Array.from(rows.flat());
  const batchPredict = mod.predictBatch(flat, rows.length);
  const batchRaw = mod.predictRawBatch(flat, rows.length);
  const batchProba = mod.predictProbaBatch?.(flat, rows.length);
  // outlier detectors: scoreSamples exactly when the IR says so
  expect(mod.scoreSamples === undefined).toBe(ir.outlier === undefined);
  expect(mod.scoreSamplesBatch === undefined).toBe(ir.outlier === undefined);
  const batchScore = mod.scoreSamplesBatch?.(flat, rows.length);
  rows.forEach((row, r) => {
    // what predictRaw returns: the raw scores, or an outlier detector's decision_function
    const raw = evaluatePredictRaw(ir, row);
    const gotRaw = mod.predictRaw(row);
    const expRaw = ir.nOutputs === 1 ? raw[0]! : raw;
    if (!same(gotRaw, expRaw)) throw new Error(`raw differs on row ${JSON.stringify(row.map(String))}: ${gotRaw} vs ${expRaw}`);
    // single-row vectors are plain arrays
    expect(typeof gotRaw === "number" || Array.isArray(gotRaw)).toBe(true);
    // a typed-array row (used without a copy when it is of the model's input type) gives what its values give
    for (const typed of [Float64Array.from(row), Float32Array.from(row)]) {
      const tr = evaluatePredictRaw(ir, Array.from(typed));
      const got = mod.predictRaw(typed);
      if (!same(got, ir.nOutputs === 1 ? tr[0]! : tr))
        throw new Error(`raw differs on ${typed.constructor.name} row ${JSON.stringify(row.map(String))}: ${got} vs ${tr}`);
    }
    for (let k = 0; k < ir.nOutputs; k++) expect(Object.is(batchRaw[r * ir.nOutputs + k], raw[k])).toBe(true);
    const score = evaluateScoreSamples(ir, row);
    if (score !== undefined) {
      const got = mod.scoreSamples!(row);
      if (!Object.is(got, score)) throw new Error(`scoreSamples differs on row ${JSON.stringify(row.map(String))}: ${got} vs ${score}`);
      expect(Object.is(batchScore![r], score)).toBe(true);
    }
    const pred = evaluatePredict(ir, row);
    const gotPred = mod.predict(row);
    if (!same(gotPred, pred)) throw new Error(`predict differs on row ${JSON.stringify(row.map(String))}: ${gotPred} vs ${pred}`);
    expect(typeof gotPred === "number" || typeof gotPred === "string" || Array.isArray(gotPred)).toBe(true);
    if (pred instanceof Float64Array) pred.forEach((v, k) => expect(Object.is(batchPredict[r * pred.length + k], v)).toBe(true));
    else expect(Object.is(batchPredict[r], pred)).toBe(true);
    const proba = evaluateProba(ir, row);
    expect(proba === undefined).toBe(mod.predictProba === undefined);
    if (proba) {
      expect(same(mod.predictProba!(row), proba)).toBe(true);
      // the allocation-free form writes the same values at the offset and nothing else
      const buf = new Float64Array(proba.length + 3).fill(-7);
      expect(mod.predictProbaInto!(row, buf, 2)).toBe(buf);
      expect(same(buf.subarray(2, 2 + proba.length).slice(), proba)).toBe(true);
      expect([buf[0], buf[1], buf[buf.length - 1]]).toEqual([-7, -7, -7]);
      proba.forEach((v, k) => expect(Object.is(batchProba![r * proba.length + k], v)).toBe(true));
    }
  });
}

describe("emitters agree with the evaluator", () => {
  for (const style of STYLES) {
    it(`${style}: random tree ensembles`, async () => {
      await fc.assert(
        fc.asyncProperty(
          modelArb.chain((ir) => fc.tuple(fc.constant(ir), rowsArb(ir))),
          async ([ir, rows]) => {
            const mod = await compileToModule(ir, style);
            checkRows(ir, mod, rows);
          },
        ),
        { numRuns: 60, seed: 20261121 },
      );
    });
  }

  it("ifelse with tiny function limits (split functions, depth cuts)", async () => {
    await fc.assert(
      fc.asyncProperty(
        modelArb.chain((ir) => fc.tuple(fc.constant(ir), rowsArb(ir))),
        async ([ir, rows]) => {
          const mod = await compileToModule(ir, "ifelse", { ifelseLimits: TINY });
          checkRows(ir, mod, rows);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  for (const style of STYLES) {
    it(`${style}: weighted-median ensembles (AdaBoostRegressor)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          medianArb.chain((ir) => fc.tuple(fc.constant(ir), rowsArb(ir))),
          async ([ir, rows]) => {
            const mod = await compileToModule(ir, style, { ifelseLimits: TINY });
            checkRows(ir, mod, rows);
          },
        ),
        { numRuns: 40, seed: 17 },
      );
    });
  }

  for (const style of STYLES) {
    it(`${style}: kernel models (SVM)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          kernelArb.chain((ir) => fc.tuple(fc.constant(ir), rowsArb(ir))),
          async ([ir, rows]) => {
            const mod = await compileToModule(ir, style);
            checkRows(ir, mod, rows);
          },
        ),
        { numRuns: 40, seed: 13 },
      );
    });
  }

  for (const style of STYLES) {
    it(`${style}: linear models`, async () => {
      await fc.assert(
        fc.asyncProperty(
          linearArb.chain((ir) => fc.tuple(fc.constant(ir), rowsArb(ir))),
          async ([ir, rows]) => {
            const mod = await compileToModule(ir, style);
            checkRows(ir, mod, rows);
          },
        ),
        { numRuns: 30, seed: 11 },
      );
    });
  }

  // tree-major batches (blocks of 16 to 256 rows; linear and kernel models 4 rows at a time): any batch size, row for row equal to the single-row functions
  for (const style of STYLES) {
    for (const [kind, arb] of [
      ["tree ensembles", modelArb],
      // numeric splits and scalar leaves only: the table style's lockstep batches (8 rows per tree, the rest row by row)
      ["numeric-split tree ensembles", numericTreesArb],
      ["linear models", linearArb],
      ["kernel models", kernelArb],
      ["weighted-median ensembles", medianArb],
    ] as const) {
      it(`${style}: ${kind}, batches of random sizes equal per-row evaluation`, async () => {
        await fc.assert(
          fc.asyncProperty(arb, fc.array(batchSizeArb, { minLength: 1, maxLength: 3 }), fc.nat(), async (ir, sizes, seed) => {
            const mod = await compileToModule(ir, style);
            for (const n of sizes) checkBatchSizes(ir, mod, batchOf(ir, n, seed + n), `${style} n=${n}`);
          }),
          { numRuns: kind.endsWith("tree ensembles") ? 40 : 10, seed: 20261122 },
        );
      });
    }
  }
});
