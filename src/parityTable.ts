// Table models (rows with strings) through src/parity.ts's numeric-row comparison: the comparison walks rows of one
// value, the row's index; the module is called with the real row in whichever form the caller holds, and the model's
// rule reads the row's encoded numbers (src/ir/columns.ts). Used by `modelc diff` and the tests.

import type { GeneratedModule } from "./compiledModule.ts";
import type { Rule } from "./parity.ts";

/** The module seen through row indices (predict, predictRaw, predictProba, scoreSamples). */
export function byRowIndex(mod: GeneratedModule, rows: readonly unknown[]): GeneratedModule {
  const at = (x: ArrayLike<number>) => rows[x[0]!] as unknown as ArrayLike<number>;
  return {
    ...mod,
    predict: (x: ArrayLike<number>) => mod.predict(at(x)),
    predictRaw: (x: ArrayLike<number>) => mod.predictRaw(at(x)),
    predictProba: mod.predictProba && ((x: ArrayLike<number>) => mod.predictProba!(at(x))),
    scoreSamples: mod.scoreSamples && ((x: ArrayLike<number>) => mod.scoreSamples!(at(x))),
  } as GeneratedModule;
}

/** The rule with its per-row bound and tie test reading the encoded row of that index. */
export function ruleByRowIndex(rule: Rule, encoded: readonly Float64Array[]): Rule {
  if (rule.kind !== "ulps") return rule;
  const enc = (x: ArrayLike<number>) => encoded[x[0]!]!;
  return {
    ...rule,
    ...(rule.rowAbs ? { rowAbs: (x: ArrayLike<number>) => rule.rowAbs!(enc(x)) } : {}),
    ...(rule.tieRow ? { tieRow: (x: ArrayLike<number>) => rule.tieRow!(enc(x)) } : {}),
  };
}
