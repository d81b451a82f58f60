// Table fixtures (rows.json: rows with strings) through the numeric-row comparison of src/parity.ts: the comparison
// passes rows of one value, the row's index, and these call the module with the real row in the form given.

import type { GeneratedModule } from "../../src/compiledModule.ts";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import type { Rule } from "../../src/parity.ts";
import { readFileSync } from "node:fs";

export interface TableRows {
  columns: string[];
  dtypes: string[];
  rows: unknown[][];
}

export function readTableRows(file: string): TableRows {
  return parseTolerantJson(readFileSync(file, "utf8")) as TableRows;
}

/** The rows as objects by column name. */
export function rowObjects(t: TableRows): Record<string, unknown>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

/** The module seen through row indices (predict, predictRaw, predictProba, scoreSamples). */
export function byIndex(mod: GeneratedModule, rows: readonly unknown[]): GeneratedModule {
  const at = (x: ArrayLike<number>) => rows[x[0]!] as unknown as ArrayLike<number>;
  return {
    ...mod,
    predict: (x: ArrayLike<number>) => mod.predict(at(x)),
    predictRaw: (x: ArrayLike<number>) => mod.predictRaw(at(x)),
    predictProba: mod.predictProba ? (x: ArrayLike<number>) => mod.predictProba!(at(x)) : undefined,
    scoreSamples: mod.scoreSamples ? (x: ArrayLike<number>) => mod.scoreSamples!(at(x)) : undefined,
  } as GeneratedModule;
}

/** The model's rule with its per-row bound read from the encoded row of that index. */
export function ruleByIndex(rule: Rule, encoded: readonly Float64Array[]): Rule {
  if (rule.kind !== "ulps") return rule;
  const enc = (x: ArrayLike<number>) => encoded[x[0]!]!;
  return {
    ...rule,
    ...(rule.rowAbs ? { rowAbs: (x: ArrayLike<number>) => rule.rowAbs!(enc(x)) } : {}),
    ...(rule.tieRow ? { tieRow: (x: ArrayLike<number>) => rule.tieRow!(enc(x)) } : {}),
  };
}
