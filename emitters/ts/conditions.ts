// Go-left conditions as TypeScript expressions, printed from the lowered tests (emitters/lower/numericTest.ts,
// categoryTables.ts); shared by the ifelse and table styles. Numeric tests: ../conditionSyntax.ts.

import type { TreeEnsemble } from "../../src/ir/types.ts";
import { categoryTables } from "../lower/categoryTables.ts";
import { typedConst } from "./body.ts";

/** The category bitsets as the constant CW (when there are sets), and the condition printer for categorical nodes. */
export function categoryConditions(ens: TreeEnsemble, runtime: Set<string>, code: string[]) {
  const cats = categoryTables(ens);
  if (ens.categories.length > 0) {
    runtime.add("catGoesLeft.ts");
    code.push(typedConst("CW", "Uint32Array", cats.words, runtime));
  }
  const fixed = `${cats.memberLeft}, ${cats.invalidDefault}, ${cats.categoryLimit}, ${cats.truncateFirst}`;
  // nonIntegerInvalid: a fractional value becomes -1, which every rule treats as invalid (NaN stays NaN)
  const arg = (v: string) => (cats.nonIntegerInvalid ? `(${v} === Math.trunc(${v}) || ${v} !== ${v} ? ${v} : -1)` : v);
  return {
    spans: cats.spans,
    /** condition for set index s with literal span */
    condition(v: string, s: number, defaultLeft: boolean): string {
      const [start, n] = cats.spans[s]!;
      return `catGoesLeft(${arg(v)}, CW, ${start}, ${n}, ${fixed}, ${defaultLeft})`;
    },
    /** condition with span and default as runtime expressions (table style) */
    dynamicCondition(v: string, start: string, n: string, defaultLeft: string): string {
      return `catGoesLeft(${arg(v)}, CW, ${start}, ${n}, ${fixed}, ${defaultLeft})`;
    },
  };
}
