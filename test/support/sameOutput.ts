// Bit-for-bit equality of two model outputs, whatever holds a vector: a single-row function's plain number[], a batch's
// or the IR evaluator's Float64Array.

/** A vector output: a plain array (single-row results) or a Float64Array (batch results, the evaluator). */
export function isVector(v: unknown): v is number[] | Float64Array {
  return Array.isArray(v) || v instanceof Float64Array;
}

/** Numbers and labels by Object.is (NaN equals NaN, -0 differs from 0); vectors value by value. */
export function sameOutput(a: unknown, b: unknown): boolean {
  if (isVector(a) && isVector(b)) return a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));
  return Object.is(a, b);
}
