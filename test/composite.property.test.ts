// Composite models (meta-estimators): random composites of small random members (tree ensembles, linear and kernel
// models; proba, predict and vote contributions; feature gathers, weights, both sums, a divisor), the emitted module
// of each style against the IR evaluator, bit for bit, single rows and batches.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STYLES } from "../emitters/registry.ts";
import { compileToModule, type GeneratedModule } from "../src/compiledModule.ts";
import { evaluatePredict, evaluatePredictRaw, evaluateProba } from "../src/ir/evaluate.ts";
import type { ModelIR } from "../src/ir/types.ts";
import { calibratedArb, nestedArb, rowsOf, stackArb } from "./support/randomComposite.ts";
import { sameOutput } from "./support/sameOutput.ts";

const same = sameOutput;

function check(ir: ModelIR, mod: GeneratedModule, rows: number[][]): void {
  const flat = Float64Array.from(rows.flat());
  const K = ir.nOutputs;
  const bRaw = mod.predictRawBatch(flat, rows.length);
  const bPred = mod.predictBatch(flat, rows.length);
  const bProba = mod.predictProbaBatch?.(flat, rows.length);
  rows.forEach((row, r) => {
    const raw = evaluatePredictRaw(ir, row);
    const got = mod.predictRaw(row);
    if (!same(got, K === 1 ? raw[0]! : raw)) throw new Error(`raw differs on row ${JSON.stringify(row.map(String))}: ${got} vs ${raw}`);
    for (let k = 0; k < K; k++) expect(Object.is(bRaw[r * K + k], raw[k]), `batch raw ${r}[${k}]`).toBe(true);
    const pred = evaluatePredict(ir, row);
    const gp = mod.predict(row);
    if (!same(gp, pred)) throw new Error(`predict differs on row ${JSON.stringify(row.map(String))}: ${gp} vs ${pred}`);
    if (pred instanceof Float64Array) pred.forEach((v, k) => expect(Object.is(bPred[r * pred.length + k], v), "predictBatch").toBe(true));
    else if (typeof pred === "number") expect(Object.is(bPred[r], pred), "predictBatch").toBe(true);
    const proba = evaluateProba(ir, row);
    expect(proba === undefined).toBe(mod.predictProba === undefined);
    if (!proba) return;
    expect(same(mod.predictProba!(row), proba), "predictProba").toBe(true);
    proba.forEach((v, k) => expect(Object.is(bProba![r * proba.length + k], v), `batch proba ${r}[${k}]`).toBe(true));
  });
}

describe("composite models: emitted modules agree with the evaluator", () => {
  for (const style of STYLES) {
    it(`${style}: random composites`, async () => {
      await fc.assert(
        fc.asyncProperty(
          nestedArb.chain((ir) => fc.tuple(fc.constant(ir), rowsOf(ir))),
          async ([ir, rows]) => check(ir, await compileToModule(ir, style), rows),
        ),
        { numRuns: 60, seed: 20261206 },
      );
    }, 300_000);
    it(`${style}: random calibrations (sigmoid, isotonic; binary and sum normalization)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          calibratedArb.chain((ir) => fc.tuple(fc.constant(ir), rowsOf(ir))),
          async ([ir, rows]) => check(ir, await compileToModule(ir, style), rows),
        ),
        { numRuns: 40, seed: 71206 },
      );
    }, 300_000);
    it(`${style}: random stacks (final models, passthrough)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          stackArb.chain((ir) => fc.tuple(fc.constant(ir), rowsOf(ir))),
          async ([ir, rows]) => check(ir, await compileToModule(ir, style), rows),
        ),
        { numRuns: 40, seed: 61206 },
      );
    }, 300_000);
  }
});
