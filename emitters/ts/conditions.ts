// The "go left?" test of a node as a JS expression, shared by the ifelse and table styles.
// NaN handling is folded into the comparison's form: `!(v >= t)` is true for NaN, `v < t` is not.

import { CompileError } from "../../src/errors.ts";
import { MISSING_AS_ZERO, MISSING_ZERO, type TreeEnsemble } from "../../src/ir/types.ts";
import { numLit } from "../literals.ts";
import { typedConst } from "./body.ts";

/**
 * Direction of NaN at a MISSING_AS_ZERO node: NaN is compared as 0, so it goes where 0 goes, known
 * when the code is written; the node then behaves as a default-direction node.
 */
export function effectiveDefaultLeft(ens: TreeEnsemble, mode: number, defaultLeft: boolean, t: number): boolean {
  if (mode !== MISSING_AS_ZERO) return defaultLeft;
  return ens.compare === "<" ? 0 < t : 0 <= t;
}

/** Go-left condition of a numeric node, with the threshold as a literal or an expression. */
export function numericCondition(ens: TreeEnsemble, v: string, t: number | string, defaultLeft: boolean, mode = 0): string {
  const tl = typeof t === "number" ? numLit(t) : t;
  if (typeof t === "number") defaultLeft = effectiveDefaultLeft(ens, mode, defaultLeft, t);
  else if (mode === MISSING_AS_ZERO) throw new CompileError("E_UNSUPPORTED", "missing mode as-zero needs a literal threshold");
  const op = ens.compare;
  if (mode === MISSING_ZERO) {
    // NaN and |v| <= zeroThreshold follow the default direction (LightGBM tree.h NumericalDecision)
    const z = numLit(ens.zeroThreshold);
    const outside = `(${v} < -${z} || ${v} > ${z})`;
    return defaultLeft ? `(!${outside} || ${v} ${op} ${tl})` : `(${outside} && ${v} ${op} ${tl})`;
  }
  if (op === "<") return defaultLeft ? `!(${v} >= ${tl})` : `${v} < ${tl}`;
  return defaultLeft ? `!(${v} > ${tl})` : `${v} <= ${tl}`;
}

/** Bitset tables for the ensemble's category sets, and the condition printer for categorical nodes. */
export function categoryTables(ens: TreeEnsemble, runtime: Set<string>, code: string[]) {
  const words: number[] = [];
  const spans: [number, number][] = [];
  for (const set of ens.categories) {
    const max = set.values.length ? set.values[set.values.length - 1]! : -1;
    const n = (max >>> 5) + 1;
    if (words.length + n > 1 << 22)
      throw new CompileError(
        "E_LIMIT",
        `categorical splits need more than ${1 << 22} bitset words (16 MiB)`,
        {},
        `a split on category ${max} alone takes ${n} words; recode categories to small integers`,
      );
    const start = words.length;
    for (let i = 0; i < n; i++) words.push(0);
    for (const c of set.values) words[start + (c >>> 5)] = (words[start + (c >>> 5)]! | (1 << (c & 31))) >>> 0;
    spans.push([start, n]);
  }
  if (ens.categories.length > 0) {
    runtime.add("catGoesLeft.ts");
    code.push(typedConst("CW", "Uint32Array", words, runtime));
  }
  const rule = ens.categorical;
  const fixed = `${rule.memberGoes === "left"}, ${rule.invalidGoes === "default"}, ${rule.categoryLimit}, ${rule.truncateFirst}`;
  // nonIntegerInvalid: a fractional value becomes -1, which every rule treats as invalid (NaN stays NaN)
  const arg = (v: string) => (rule.nonIntegerInvalid ? `(${v} === Math.trunc(${v}) || ${v} !== ${v} ? ${v} : -1)` : v);
  return {
    spans,
    /** the bitset words of every set (set s at spans[s]) */
    words,
    /** condition for set index s with literal span */
    condition(v: string, s: number, defaultLeft: boolean): string {
      const [start, n] = spans[s]!;
      return `catGoesLeft(${arg(v)}, CW, ${start}, ${n}, ${fixed}, ${defaultLeft})`;
    },
    /** condition with span and default as runtime expressions (table style) */
    dynamicCondition(v: string, start: string, n: string, defaultLeft: string): string {
      return `catGoesLeft(${arg(v)}, CW, ${start}, ${n}, ${fixed}, ${defaultLeft})`;
    },
  };
}
