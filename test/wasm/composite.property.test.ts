// Composite models (meta-estimators) through the WebAssembly build: random composites, nested composites and stacks
// (test/support/randomComposite.ts) agree with the IR evaluator bit for bit, both styles, in one asc build.

import fc from "fast-check";
import { describe, it } from "vitest";
import type { ModelIR } from "../../src/ir/types.ts";
import { calibratedArb, nestedArb, rowsOf, stackArb } from "../support/randomComposite.ts";
import { buildWasmModels, checkAgainstEvaluator, type Unit } from "./support.ts";

interface Case {
  name: string;
  unit: Unit;
  rows: number[][];
}

function cases(name: string, arb: fc.Arbitrary<ModelIR>, n: number, seed: number, style: "ifelse" | "table"): Case[] {
  return fc.sample(arb, { numRuns: n, seed }).map((ir, i) => ({
    name: `${name} #${i} (seed ${seed})`,
    unit: { ir, style },
    rows: fc.sample(rowsOf(ir), { numRuns: 1, seed: seed + 1 + i })[0]!,
  }));
}

const ALL: Case[] = [
  ...cases("composite table", nestedArb, 25, 1206, "table"),
  ...cases("composite ifelse", nestedArb, 25, 1207, "ifelse"),
  ...cases("stack table", stackArb, 20, 1208, "table"),
  ...cases("stack ifelse", stackArb, 20, 1209, "ifelse"),
  ...cases("calibrated table", calibratedArb, 20, 1210, "table"),
  ...cases("calibrated ifelse", calibratedArb, 15, 1211, "ifelse"),
];

describe("composite models through WebAssembly agree with the evaluator", () => {
  it("random composites and stacks, both styles", async () => {
    const { models } = await buildWasmModels(ALL.map((c) => c.unit));
    ALL.forEach((c, i) => checkAgainstEvaluator(c.unit.ir, models[i]!, c.rows, c.name));
  }, 900_000);
});
