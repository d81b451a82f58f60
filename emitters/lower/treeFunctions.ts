// The ifelse style's cut of one tree into functions of bounded size and nesting depth (engines and Binaryen
// optimize each one, and no parser recursion grows with tree depth), as a flat list of steps per function that a
// printer turns into nested `if` blocks. Computed with an explicit stack and a queue of cut points.

import { NODE_LEAF, type Tree } from "../../src/ir/types.ts";
import type { IfElseLimits } from "./limits.ts";

/**
 * One step of a function body, in source order; depth is the block nesting (1 = the function's body).
 * - "if": open `if (go-left condition of node) {`; its left subtree follows, then an "end" at the same depth, then
 *   the right subtree flat after it (the left block always returns).
 * - "end": close the innermost open `if`.
 * - "leaf": return the leaf value of node.
 * - "call": return the value of the function rooted at node (a later entry of the cut).
 */
export type TreeStep =
  | { kind: "if"; node: number; depth: number }
  | { kind: "end"; depth: number }
  | { kind: "leaf"; node: number; depth: number }
  | { kind: "call"; node: number; depth: number };

export interface TreeFunction {
  /** the node this function starts at (0: the tree's entry function) */
  root: number;
  /** split nodes written in this function */
  conditions: number;
  steps: TreeStep[];
}

/** The functions of one tree, the entry function (root 0) first, then split-off subtrees in the order they are cut. */
export function treeFunctions(tree: Tree, limits: IfElseLimits): TreeFunction[] {
  const out: TreeFunction[] = [];
  const queue: number[] = [0];
  for (let qi = 0; qi < queue.length; qi++) {
    const root = queue[qi]!;
    const steps: TreeStep[] = [];
    const stack: ({ node: number; depth: number } | { end: number })[] = [{ node: root, depth: 1 }];
    let count = 0;
    while (stack.length > 0) {
      const it = stack.pop()!;
      if ("end" in it) {
        steps.push({ kind: "end", depth: it.end });
        continue;
      }
      const { node: n, depth } = it;
      if (tree.kind[n] === NODE_LEAF) {
        steps.push({ kind: "leaf", node: n, depth });
        continue;
      }
      if (n !== root && (depth > limits.depthPerFunction || count >= limits.nodesPerFunction)) {
        queue.push(n);
        steps.push({ kind: "call", node: n, depth });
        continue;
      }
      count++;
      steps.push({ kind: "if", node: n, depth });
      stack.push({ node: tree.right[n]!, depth }, { end: depth }, { node: n + 1, depth: depth + 1 });
    }
    out.push({ root, conditions: count, steps });
  }
  return out;
}
