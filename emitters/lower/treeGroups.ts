// The ifelse style's group functions: consecutive runs of trees, each group at most treesPerGroup trees and (after
// its first tree) at most nodesPerFunction inlined conditions.

import type { IfElseLimits } from "./limits.ts";

export interface TreeGroup {
  /** trees [from, to) */
  from: number;
  to: number;
  /** inlined conditions in the group */
  conditions: number;
}

/** Greedy grouping in tree order; inline[t] is tree t's inlined conditions, or -1 when it is called (counts 0). */
export function treeGroups(inline: readonly number[], limits: IfElseLimits): TreeGroup[] {
  const groups: TreeGroup[] = [];
  const size = (t: number) => Math.max(0, inline[t]!);
  for (let g0 = 0; g0 < inline.length; ) {
    let g1 = g0;
    let nodes = 0;
    while (g1 < inline.length && g1 - g0 < limits.treesPerGroup && (g1 === g0 || nodes + size(g1) <= limits.nodesPerFunction)) nodes += size(g1++);
    groups.push({ from: g0, to: g1, conditions: nodes });
    g0 = g1;
  }
  return groups;
}
