// Each tree's depth in a node table: the number of splits on its longest root-to-leaf path, the fixed step count of
// a lockstep walk (several rows through one tree together, no data-dependent exit).

import type { NodeTable } from "./nodeTable.ts";

/** Depth of each tree of the table. One pass in table (preorder) order: parents come before their children. */
export function treeDepths(table: NodeTable): Int32Array {
  const depth = new Int32Array(table.nNodes);
  const out = new Int32Array(table.treeStart.length);
  let t = -1;
  for (let g = 0; g < table.nNodes; g++) {
    while (t + 1 < table.treeStart.length && table.treeStart[t + 1] === g) t++;
    if (table.fk[g]! < 0) out[t] = Math.max(out[t]!, depth[g]!);
    else depth[g + 1] = depth[table.right[g]!] = depth[g]! + 1;
  }
  return out;
}
