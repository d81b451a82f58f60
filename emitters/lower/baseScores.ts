// The values every sum starts from, in the accumulator's number type: a tree ensemble's base scores and a linear
// model's biases (both printers write them as each output slot's first value).

import type { LinearModel, NumberType, TreeEnsemble } from "../../src/ir/types.ts";

/** v in the accumulator type t (float32: rounded once). */
export function inAccumulator(t: NumberType, v: number): number {
  return t === "float32" ? Math.fround(v) : v;
}

/** The starting value of each of the ensemble's nOutputs slots. */
export function baseScores(ens: TreeEnsemble, nOutputs: number): number[] {
  return ens.base.slice(0, nOutputs).map((b) => inAccumulator(ens.accumulate, b));
}

/** The bias of each output of a linear model. */
export function linearBias(lin: LinearModel): number[] {
  return lin.bias.map((b) => inAccumulator(lin.accumulate, b));
}
