// The ifelse style's layout of a tree ensemble: vector-leaf table, which trees are inline, and the group functions.
// Each called tree's functions come from treeFunctions.ts, one tree at a time (printers stream them).

import type { TreeEnsemble } from "../../src/ir/types.ts";
import { inlineSize } from "./inlineSize.ts";
import { leafVectors, type LeafVectors } from "./leafVectors.ts";
import type { IfElseLimits } from "./limits.ts";
import { treeGroups, type TreeGroup } from "./treeGroups.ts";

export interface IfElsePlan {
  limits: IfElseLimits;
  /** vector leaves, un-pooled (bases[t] = -1 for scalar-leaf trees) */
  leaves: LeafVectors;
  /** per tree: its conditions when written inline in its group function, -1 when it is called (treeFunctions) */
  inline: number[];
  groups: TreeGroup[];
}

export interface IfElsePlanOptions {
  /** trees with at most this many conditions are inlined (TypeScript: INLINE_MAX_NODES); omitted: none */
  inlineMaxNodes?: number;
}

export function ifElsePlan(ens: TreeEnsemble, limits: IfElseLimits, opts: IfElsePlanOptions = {}): IfElsePlan {
  const max = opts.inlineMaxNodes;
  const inline = ens.trees.map((tree) => (max === undefined ? -1 : inlineSize(tree, limits, max)));
  return { limits, leaves: leafVectors(ens), inline, groups: treeGroups(inline, limits) };
}
