// libsvm's one-vs-one decisions of a kernel model as support-vector ranges and coefficient rows, which the printers
// unroll per pair; and the number of decisions per row.

import type { KernelModel } from "../../src/ir/types.ts";

/** One side of a one-vs-one decision: the support vectors [from, to) of one class, weighted by row `coefRow` of the coefficients. */
export interface OvoSide {
  from: number;
  to: number;
  coefRow: number;
}

export interface OvoPair {
  /** the decision's index */
  p: number;
  /** the classes i < j */
  i: number;
  j: number;
  sides: [OvoSide, OvoSide];
}

/**
 * libsvm's one-vs-one decisions in order (p = 0, 1, … for classes i < j): class i's support vectors
 * weighted by coefficient row j-1, then class j's by row i (each row offset by nSV). Emitters unroll
 * these; the evaluator (src/ir/kernel.ts) keeps its own loop, so property tests compare the two.
 */
export function ovoPairs(m: KernelModel): OvoPair[] {
  const K = m.counts.length;
  const start: number[] = [0];
  for (let c = 1; c < K; c++) start.push(start[c - 1]! + m.counts[c - 1]!);
  const side = (c: number, row: number): OvoSide => ({ from: start[c]!, to: start[c]! + m.counts[c]!, coefRow: row * m.nSV });
  const pairs: OvoPair[] = [];
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) pairs.push({ p: pairs.length, i, j, sides: [side(i, j - 1), side(j, i)] });
  }
  return pairs;
}

/** Number of decisions a kernel model computes per row: 1, or one per pair of classes. */
export function kernelDecisionCount(m: KernelModel): number {
  const K = m.counts.length;
  return m.form === "single" ? 1 : (K * (K - 1)) / 2;
}
