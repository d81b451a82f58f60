// The ensemble's category sets as bitset words and spans (set s covers words[start, start + n)), plus the
// categorical rule's parameters that every printer passes to its catGoesLeft helper.

import { CompileError } from "../../src/errors.ts";
import type { TreeEnsemble } from "../../src/ir/types.ts";

export interface CategoryTables {
  /** the bitset words of every set (set s at spans[s]) */
  words: number[];
  /** [first word, number of words] per set */
  spans: [number, number][];
  /** catGoesLeft's fixed arguments (TreeEnsemble.categorical) */
  memberLeft: boolean;
  invalidDefault: boolean;
  categoryLimit: number;
  truncateFirst: boolean;
  /** a fractional value is passed as -1 (invalid under every rule); NaN stays NaN */
  nonIntegerInvalid: boolean;
}

/** Bitset tables for the ensemble's category sets; throws E_LIMIT past 2^22 words (16 MiB). */
export function categoryTables(ens: TreeEnsemble): CategoryTables {
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
  const rule = ens.categorical;
  return {
    words,
    spans,
    memberLeft: rule.memberGoes === "left",
    invalidDefault: rule.invalidGoes === "default",
    categoryLimit: rule.categoryLimit,
    truncateFirst: rule.truncateFirst,
    nonIntegerInvalid: rule.nonIntegerInvalid === true,
  };
}
