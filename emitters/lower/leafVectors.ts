// Vector leaves laid out tree after tree, un-pooled: every vector-leaf tree's leaf values in one array.

import type { TreeEnsemble } from "../../src/ir/types.ts";

export interface LeafVectors {
  /** per tree: offset of its first leaf's vector in `values` (leaf li at base + li·leafSize); -1 for scalar-leaf trees */
  bases: number[];
  values: number[];
}

/** The ifelse styles' (and the AssemblyScript table's) vector-leaf table. */
export function leafVectors(ens: TreeEnsemble): LeafVectors {
  const bases: number[] = [];
  const values: number[] = [];
  for (const tree of ens.trees) {
    if (tree.leafSize > 1) {
      bases.push(values.length);
      for (let i = 0; i < tree.leafValues.length; i++) values.push(tree.leafValues[i]!);
    } else bases.push(-1);
  }
  return { bases, values };
}
