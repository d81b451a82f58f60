// The "go left?" decision of a numeric node as data (comparison, where NaN goes, LightGBM's zero band); each printer
// writes it in its own syntax. NaN handling folds into the comparison's form when printed: `!(v >= t)` is true for
// NaN, `v < t` is not.

import { CompileError } from "../../src/errors.ts";
import { MISSING_AS_ZERO, MISSING_ZERO, type CompareOp, type TreeEnsemble } from "../../src/ir/types.ts";

/**
 * Direction of NaN at a MISSING_AS_ZERO node: NaN is compared as 0, so it goes where 0 goes, known
 * when the code is written; the node then behaves as a default-direction node.
 */
export function effectiveDefaultLeft(ens: TreeEnsemble, mode: number, defaultLeft: boolean, t: number): boolean {
  if (mode !== MISSING_AS_ZERO) return defaultLeft;
  return ens.compare === "<" ? 0 < t : 0 <= t;
}

export interface NumericTest {
  /** a present value goes left when `v op t` */
  op: CompareOp;
  /** NaN goes left (and, with a zero band, so does |v| <= zeroBand) */
  defaultLeft: boolean;
  /** MISSING_ZERO: the zero threshold; NaN and |v| <= it follow the default direction (LightGBM NumericalDecision) */
  zeroBand?: number;
}

/**
 * The test of a numeric node with threshold t (undefined: a threshold only known at run time, as in the table walk,
 * where missing mode MISSING_AS_ZERO cannot be resolved).
 */
export function numericTest(ens: TreeEnsemble, t: number | undefined, defaultLeft: boolean, mode = 0): NumericTest {
  if (t !== undefined) defaultLeft = effectiveDefaultLeft(ens, mode, defaultLeft, t);
  else if (mode === MISSING_AS_ZERO) throw new CompileError("E_UNSUPPORTED", "missing mode as-zero needs a literal threshold");
  return mode === MISSING_ZERO ? { op: ens.compare, defaultLeft, zeroBand: ens.zeroThreshold } : { op: ens.compare, defaultLeft };
}
