// The TypeScript printer (emitters/ts/): prints the lowered form of emitters/lower/ as a self-contained TypeScript
// module (esbuild turns it into JavaScript). A style printer — ifelse.ts and table.ts for tree ensembles, linear.ts,
// kernel.ts — writes a Body from the lowering's tables, cuts and conditions (conditions.ts prints the lowered tests);
// module.ts wraps it with meta, the public API, row checks, batch loops, preprocessing (preprocess.ts), the transform
// (transformCode.ts) and the runtime helpers; registry.ts picks the printer. Nothing here is shared with the
// AssemblyScript printer (emitters/as/) except through emitters/lower/ and emitters/literals.ts.
//
// What a style emitter hands to the module writer: declarations, runtime helpers it needs, and the
// name of its raw-score function `(x, R) => void` (x: the cast row, R: Float64Array of raw scores).

import type { ModelIR, NumberType, TreeEnsemble } from "../../src/ir/types.ts";
import { base64Of, numLit } from "../literals.ts";

export interface Body {
  code: string[];
  runtime: Set<string>;
  rawFn: string;
  /**
   * Optional batch form of rawFn, `(x, nb, A) => void`: raw scores of nb rows stored one after the other in x (each
   * the model's width) into A (row r's slots at A[r * nOutputs ..]), equal bit for bit to rawFn on each row.
   */
  blockFn?: string;
  /** with blockFn: a statement restoring, for row r of the last block, the state rawFn leaves for voteFn/decisions */
  blockRow?: string;
  /** kernel models with a vote decision: `() => number`, the class index of the row last given to rawFn */
  voteFn?: string;
  /** kernel models: the Float64Array holding the pair decisions of the row last given to rawFn */
  decisions?: string;
  /**
   * Bodies whose rawFn reads the features in feature order (once per output at most, each pass over all of them
   * from feature 0, so the first feature that is not a number is the one loadRow rejects): rawFn's statements with
   * each read `x[i]` written `num_(x[i], i)`, for a row `x: ArrayLike<number>` of NF values that has not been checked
   * (module.ts defines num_: a number as it is, NaN for null/undefined, loadRow's TypeError otherwise). The same
   * operations in the same order as rawFn, so the same raw scores bit for bit.
   */
  checkedRaw?: string[];
}

/** TypeScript type of the cast row buffer. */
export function rowType(ir: ModelIR): "Float32Array" | "Float64Array" {
  return ir.inputCast === "float32" ? "Float32Array" : "Float64Array";
}

/** `R[k] = f(R[k] + expr)` with the accumulator's rounding. */
export function accumulate(t: NumberType, target: string, expr: string): string {
  return t === "float32" ? `${target} = Math.fround(${target}! + ${expr});` : `${target} = ${target}! + ${expr};`;
}

/**
 * A typed-array constant: an array literal when small, base64 bytes decoded at load when large
 * (the model's numbers stored compactly, not as a giant literal of decimal text).
 */
export function typedConst(
  name: string,
  kind: "Float64Array" | "Float32Array" | "Int32Array" | "Uint32Array",
  values: ArrayLike<number>,
  runtime: Set<string>,
  /** at most this many values are written as a literal array, more as base64 through the runtime's decoder */
  literalMax = 64,
): string {
  if (values.length <= literalMax) {
    return `const ${name} = /* @__PURE__ */ new ${kind}([${Array.from(values, numLit).join(", ")}]);`;
  }
  runtime.add("decodeTable.ts");
  const Kind = globalThis[kind] as unknown as new (n: ArrayLike<number>) => Float64Array;
  const arr = values instanceof Kind ? values : new Kind(values);
  const decoder = { Float64Array: "decodeF64", Float32Array: "decodeF32", Int32Array: "decodeI32", Uint32Array: "decodeU32" }[kind];
  return `const ${name} = /* @__PURE__ */ ${decoder}("${base64Of(arr)}");`;
}

/** Start of raw_: set each slot to its base score (lower/baseScores.ts). */
export function baseLines(scores: readonly number[]): string[] {
  return scores.map((b, k) => `R[${k}] = ${numLit(b)};`);
}

/**
 * Weighted-median ensembles (TreeEnsemble.aggregate): declarations of the per-tree values MV (each tree writes
 * MV[t] instead of adding to R), the weights MW and the sort's scratch; and raw_'s last line, R[0] = the median.
 */
export function medianCode(ens: TreeEnsemble, runtime: Set<string>): { decls: string[]; last: string } {
  const n = ens.trees.length;
  runtime.add("weightedMedian.ts");
  return {
    decls: [
      `const MV = new Float64Array(${n});`,
      typedConst("MW", "Float64Array", ens.aggregate!.weights, runtime),
      `const MI = new Int32Array(${n});`,
      `const MJ = new Int32Array(${n});`,
    ],
    last: `R[0] = weightedMedian(MV, MW, ${n}, MI, MJ);`,
  };
}
