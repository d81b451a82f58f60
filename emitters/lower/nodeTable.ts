// The table style's node table: every node of every tree in preorder, struct-of-arrays, with the packed flags of
// nodeFlags.ts. The left child of node n is n + 1; a tree's nodes start at treeStart[t].

import { MISSING_ZERO, NODE_CATEGORICAL, NODE_LEAF, type TreeEnsemble } from "../../src/ir/types.ts";
import { leafVectors } from "./leafVectors.ts";
import { LinearLeafTables } from "./linearLeafTables.ts";
import { LEAF, LINEAR_LEAF, packNode } from "./nodeFlags.ts";
import { effectiveDefaultLeft } from "./numericTest.ts";
import { VectorPool } from "./vectorPool.ts";

export interface NodeTableOptions {
  /**
   * true: each distinct leaf vector once (VectorPool; the TypeScript table). false: every vector-leaf tree's leaves
   * one after the other (leafVectors.ts; the AssemblyScript table, whose bytes are kept as they were).
   */
  poolVectorLeaves: boolean;
}

export interface NodeTable {
  nNodes: number;
  /** packed feature and flags (nodeFlags.ts), LEAF or LINEAR_LEAF */
  fk: Int32Array;
  /** threshold; category set index (categorical node); scalar leaf value (linear leaves too: their NaN fallback); 0 at vector leaves */
  value: Float64Array;
  /** split: the right child's index in the table; vector leaf: its vector's offset in leafVectors; linear leaf: its index in `linear`; else 0 */
  right: Int32Array;
  /** first node of each tree */
  treeStart: Int32Array;
  /** output slot of each tree, -1 for vector-leaf trees */
  treeOutput: Int32Array;
  /** the vectors of vector leaves (ir.nOutputs wide when pooled) */
  leafVectors: Float64Array;
  /** linear leaves, in node order */
  linear: LinearLeafTables;
  /** some tree has vector leaves / scalar leaves */
  hasVector: boolean;
  hasScalar: boolean;
  /** some numeric node has a zero band / some node is categorical */
  hasZeroBand: boolean;
  hasCategorical: boolean;
}

/** Packs every tree of the ensemble into one node table (a single pass over the nodes, no recursion). */
export function nodeTable(ens: TreeEnsemble, nOutputs: number, opts: NodeTableOptions): NodeTable {
  let total = 0;
  for (const t of ens.trees) total += t.nNodes;
  const fk = new Int32Array(total);
  const value = new Float64Array(total);
  const right = new Int32Array(total);
  const treeStart = new Int32Array(ens.trees.length);
  const treeOutput = new Int32Array(ens.trees.length);
  const pool = opts.poolVectorLeaves ? new VectorPool(nOutputs) : undefined;
  const flat = opts.poolVectorLeaves ? undefined : leafVectors(ens);
  const linear = new LinearLeafTables();
  let hasVector = false;
  let hasScalar = false;
  let hasZeroBand = false;
  let hasCategorical = false;
  let off = 0;
  ens.trees.forEach((tree, t) => {
    treeStart[t] = off;
    treeOutput[t] = tree.leafSize > 1 ? -1 : tree.output;
    if (tree.leafSize > 1) hasVector = true;
    else hasScalar = true;
    for (let n = 0; n < tree.nNodes; n++) {
      const g = off + n;
      if (tree.kind[n] === NODE_LEAF) {
        fk[g] = LEAF;
        const li = tree.leafIndex[n]!;
        if (tree.leafSize === 1) value[g] = tree.leafValues[li]!;
        else right[g] = pool ? pool.add(tree.leafValues, li * tree.leafSize) : flat!.bases[t]! + li * tree.leafSize;
        if (tree.linear) {
          fk[g] = LINEAR_LEAF;
          right[g] = linear.add(tree.linear, li);
        }
        continue;
      }
      const cat = tree.kind[n] === NODE_CATEGORICAL;
      const mode = tree.missingMode[n]!;
      const dl = cat ? tree.defaultLeft[n] === 1 : effectiveDefaultLeft(ens, mode, tree.defaultLeft[n] === 1, tree.threshold[n]!);
      const zero = !cat && mode === MISSING_ZERO;
      hasZeroBand ||= zero;
      hasCategorical ||= cat;
      fk[g] = packNode(tree.feature[n]!, dl, cat, zero);
      value[g] = cat ? tree.catSet[n]! : tree.threshold[n]!;
      right[g] = off + tree.right[n]!;
    }
    off += tree.nNodes;
  });
  return {
    nNodes: total,
    fk,
    value,
    right,
    treeStart,
    treeOutput,
    leafVectors: pool ? pool.values() : Float64Array.from(flat!.values),
    linear,
    hasVector,
    hasScalar,
    hasZeroBand,
    hasCategorical,
  };
}
