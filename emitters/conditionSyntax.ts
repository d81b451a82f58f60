// A numeric test as a go-left expression in the C-like syntax TypeScript and AssemblyScript share, so
// both printers print it the same way. NaN handling is folded into the comparison's form:
// `!(v >= t)` is true for NaN, `v < t` is not.

import type { NumericTest } from "./lower/numericTest.ts";
import { numLit } from "./literals.ts";

/** The condition of a numeric test on value expression v against threshold expression t. */
export function numericCondition(test: NumericTest, v: string, t: string): string {
  const { op, defaultLeft } = test;
  if (test.zeroBand !== undefined) {
    // NaN and |v| <= zeroThreshold follow the default direction (LightGBM tree.h NumericalDecision)
    const z = numLit(test.zeroBand);
    const outside = `(${v} < -${z} || ${v} > ${z})`;
    return defaultLeft ? `(!${outside} || ${v} ${op} ${t})` : `(${outside} && ${v} ${op} ${t})`;
  }
  if (op === "<") return defaultLeft ? `!(${v} >= ${t})` : `${v} < ${t}`;
  return defaultLeft ? `!(${v} > ${t})` : `${v} <= ${t}`;
}
