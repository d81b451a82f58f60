// The WebAssembly table style's lockstep walk (emitters/as/table.ts: 16 rows per step through a tree, v128 lanes)
// against the scalar walk and the IR evaluator: batches at every edge of the lockstep (a multiple of 16 rows, ± 1)
// and of the 256-row blocks, on random models that take the lockstep, with rows of the models' hard values (NaN,
// ±Infinity, -0, each threshold and its float32 neighbours). A single row (predictRaw) always takes the scalar walk,
// so checkBatchSizes compares the two walks row for row, bit for bit.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emitAssemblyScript } from "../../emitters/as/index.ts";
import { LANES } from "../../emitters/as/table.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { batchOf, checkBatchSizes } from "../support/batchSizes.ts";
import { modelArb } from "../support/randomModel.ts";
import { buildWasmModels } from "./support.ts";

const takesLockstep = (ir: ModelIR) => emitAssemblyScript(ir, "table").includes("laneStep(");
/** the other input cast: float32 rows with double thresholds, double rows with float32 ones (f64x2 comparisons) */
const recast = (ir: ModelIR): ModelIR => ({ ...ir, inputCast: ir.inputCast === "float32" ? "float64" : "float32" });

/** batch sizes: none, one, the lockstep's edges, the 256-row block's, a block plus the lockstep's, two blocks + 1 */
const L = LANES;
const SIZES = [0, 1, 2, L - 1, L, L + 1, 2 * L - 1, 2 * L, 2 * L + 1, 255, 256, 257, 255 + L, 256 + L, 257 + L, 513];

describe("WebAssembly table lockstep", () => {
  it("gives what the scalar walk and the evaluator give at every batch edge", async () => {
    // about one random model in ten takes it (no categories, zero band, vector or linear leaves, median)
    const taking = fc.sample(modelArb, { numRuns: 400, seed: 20261206 }).filter(takesLockstep);
    const irs = [...taking, ...taking.slice(0, 20).map(recast).filter(takesLockstep)];
    // enough models take it, of both comparison types and with several outputs
    expect(irs.length).toBeGreaterThan(20);
    expect(irs.some((ir) => ir.nOutputs > 1)).toBe(true);
    expect(irs.some((ir) => ir.model.kind === "trees" && ir.model.thresholdType === "float64")).toBe(true);
    const { models } = await buildWasmModels(irs.map((ir) => ({ ir, style: "table" })));
    for (const [i, ir] of irs.entries())
      for (const [k, n] of SIZES.entries()) checkBatchSizes(ir, models[i]!, batchOf(ir, n, 9000 + 31 * i + k), `lockstep model #${i}`);
  });
});
