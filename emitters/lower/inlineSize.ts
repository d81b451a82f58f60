// Which trees the ifelse style writes inline (one expression in their group function, no call per tree): those
// with at most a given number of conditions that stay within the nesting limit.

import { NODE_LEAF, type Tree } from "../../src/ir/types.ts";
import type { IfElseLimits } from "./limits.ts";

/**
 * The number of conditions of `tree` when it has at most min(maxNodes, nodesPerFunction) of them and no split node
 * deeper than depthPerFunction (the root at depth 1); -1 otherwise. Stops at the first reason to say no.
 */
export function inlineSize(tree: Tree, limits: IfElseLimits, maxNodes: number): number {
  const max = Math.min(maxNodes, limits.nodesPerFunction);
  const stack: number[] = [0, 1];
  let count = 0;
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const n = stack.pop()!;
    if (tree.kind[n] === NODE_LEAF) continue;
    if (depth > limits.depthPerFunction || ++count > max) return -1;
    stack.push(tree.right[n]!, depth + 1, n + 1, depth + 1);
  }
  return count;
}
