// The `ifelse` tree walk shared by every target language: one tree becomes nested `if` blocks cut
// into functions of bounded size and nesting depth (V8 and Binaryen optimize each one, and no parser
// recursion grows with tree depth). Emission uses an explicit stack and a queue of cut points; the
// target supplies only the function header, the leaf expression and the split condition.

import { NODE_LEAF, type Tree } from "../src/ir/types.ts";
import type { IfElseLimits } from "./ts/ifelse.ts";

export interface TreeFunctionSyntax {
  /** the opening line of the function named `name` (the row parameter is called `x`) */
  header(name: string): string;
  /** the returned expression at leaf node n */
  leaf(n: number): string;
  /** the condition under which split node n goes left */
  condition(n: number): string;
}

type Item = { node: number; depth: number } | string;

/** Appends one source string per generated function to `out`; the tree's entry function is named `base`. */
export function emitTreeFunctions(tree: Tree, base: string, limits: IfElseLimits, syntax: TreeFunctionSyntax, out: string[]): void {
  const fname = (n: number) => (n === 0 ? base : `${base}_${n}`);
  const queue: number[] = [0];
  for (let qi = 0; qi < queue.length; qi++) {
    const root = queue[qi]!;
    const lines: string[] = [syntax.header(fname(root))];
    const stack: Item[] = [{ node: root, depth: 1 }];
    let count = 0;
    while (stack.length > 0) {
      const it = stack.pop()!;
      if (typeof it === "string") {
        lines.push(it);
        continue;
      }
      const { node: n, depth } = it;
      const pad = " ".repeat(depth);
      if (tree.kind[n] === NODE_LEAF) {
        lines.push(`${pad}return ${syntax.leaf(n)};`);
        continue;
      }
      if (n !== root && (depth > limits.depthPerFunction || count >= limits.nodesPerFunction)) {
        queue.push(n);
        lines.push(`${pad}return ${fname(n)}(x);`);
        continue;
      }
      count++;
      lines.push(`${pad}if (${syntax.condition(n)}) {`);
      // The left block always returns, so the right subtree follows flat after it.
      stack.push({ node: tree.right[n]!, depth }, `${pad}}`, { node: n + 1, depth: depth + 1 });
    }
    lines.push("}");
    out.push(lines.join("\n"));
  }
}
