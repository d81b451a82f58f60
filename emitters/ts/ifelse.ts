// The `ifelse` style: each tree becomes nested conditions with literal thresholds and leaves.
// Small trees are one expression each inside their group function (no call per tree); larger ones
// are cut into functions of bounded size and nesting depth (emitters/treeFunctions.ts), so V8
// optimizes every one and no parser or compiler recursion grows with tree depth. Emission itself
// uses explicit stacks.

import { CompileError } from "../../src/errors.ts";
import { NODE_CATEGORICAL, NODE_LEAF, type ModelIR, type Tree, type TreeEnsemble } from "../../src/ir/types.ts";
import { numLit } from "../literals.ts";
import { accumulate, baseLines, medianCode, rowType, typedConst, type Body } from "./body.ts";
import { categoryTables, numericCondition } from "./conditions.ts";
import { emitTreeFunctions } from "../treeFunctions.ts";

export interface IfElseLimits {
  /** internal nodes per generated function */
  nodesPerFunction: number;
  /** nesting depth of `if` blocks per generated function */
  depthPerFunction: number;
  /** tree calls per group function */
  treesPerGroup: number;
}

export const DEFAULT_IFELSE_LIMITS: IfElseLimits = { nodesPerFunction: 800, depthPerFunction: 24, treesPerGroup: 100 };

/** Beyond this, generated source nears V8's maximum string length (about 5.4e8 characters). */
export const IFELSE_MAX_CHARS = 300_000_000;

export function emitIfElse(ir: ModelIR, ens: TreeEnsemble, limits: IfElseLimits = DEFAULT_IFELSE_LIMITS): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = rowType(ir);
  const cats = categoryTables(ens, runtime, code);
  const vectorLeaves: number[] = [];
  const leafOffsets: number[] = [];
  let chars = 0;
  let counted = 0;

  // Each tree is written once: small trees (at most INLINE_MAX_NODES conditions, within the nesting limit) as an
  // expression inside their group function (no call per tree), larger ones as functions t<i> (and t<i>_<node> for
  // split-off subtrees).
  const inlined: (string | undefined)[] = [];
  const inlinedNodes: number[] = [];
  ens.trees.forEach((tree, t) => {
    let leafBase = -1;
    if (tree.leafSize > 1) {
      leafBase = vectorLeaves.length;
      for (let i = 0; i < tree.leafValues.length; i++) vectorLeaves.push(tree.leafValues[i]!);
    }
    leafOffsets.push(leafBase);
    const block = inlineTree(tree, ens, cats, limits, leafBase);
    inlined.push(block?.expr);
    inlinedNodes.push(block?.nodes ?? 0);
    if (block) chars += block.expr.length;
    else emitTree(tree, `t${t}`, xt, ens, cats, limits, leafBase, code);
    for (; counted < code.length; counted++) chars += code[counted]!.length;
    if (chars > IFELSE_MAX_CHARS)
      throw new CompileError("E_LIMIT", `ifelse code for this model passes ${IFELSE_MAX_CHARS} characters (at tree ${t})`, {}, "use --style table, which --style auto picks for large models");
  });
  if (vectorLeaves.length > 0) {
    const kind = ens.leafType === "float32" ? "Float32Array" : "Float64Array";
    code.push(typedConst("LV", kind, vectorLeaves, runtime));
  }

  // Group functions: R[o] += t(x), in tree order; at most treesPerGroup trees and nodesPerFunction inlined
  // conditions each. Scalar-leaf groups accumulate in locals (a<o>) and store them at the end: same values,
  // fewer typed-array loads and stores. Weighted median (AdaBoostRegressor): MV[t] = the tree's value.
  const median = ens.aggregate ? medianCode(ens, runtime) : undefined;
  if (median) code.push(...median.decls);
  const groups: string[] = [];
  for (let g0 = 0; g0 < ens.trees.length; ) {
    let g1 = g0;
    let nodes = 0;
    while (g1 < ens.trees.length && g1 - g0 < limits.treesPerGroup && (g1 === g0 || nodes + inlinedNodes[g1]! <= limits.nodesPerFunction)) nodes += inlinedNodes[g1++]!;
    const name = `g${groups.length}`;
    groups.push(name);
    const trees = ens.trees.slice(g0, g1);
    const locals = !median && trees.every((tr) => tr.leafSize === 1) ? [...new Set(trees.map((tr) => tr.output))].sort((a, b) => a - b) : [];
    const slot = (o: number) => (locals.length ? `a${o}` : `R[${o}]`);
    const add = (o: number, e: string) => (locals.length ? (ens.accumulate === "float32" ? `a${o} = Math.fround(a${o} + ${e});` : `a${o} = a${o} + ${e};`) : accumulate(ens.accumulate, slot(o), e));
    const lines = [`function ${name}(x: ${xt}, R: Float64Array): void {`];
    for (const o of locals) lines.push(`  let a${o} = R[${o}]!;`);
    for (let t = g0; t < g1; t++) {
      const tree = ens.trees[t]!;
      const value = inlined[t] !== undefined ? `(${inlined[t]})` : `t${t}(x)`;
      if (median) {
        lines.push(`  MV[${t}] = ${value};`);
      } else if (tree.leafSize === 1) {
        lines.push("  " + add(tree.output, value));
      } else {
        lines.push(`  { const l = ${value};`);
        for (let k = 0; k < tree.leafSize; k++) lines.push("    " + add(k, `LV[l + ${k}]!`));
        lines.push("  }");
      }
    }
    for (const o of locals) lines.push(`  R[${o}] = a${o};`);
    lines.push("}");
    code.push(lines.join("\n"));
    g0 = g1;
  }
  const raw = [`function raw_(x: ${xt}, R: Float64Array): void {`, ...baseLines(ir, ens.base, ens.accumulate).map((l) => "  " + l)];
  for (const g of groups) raw.push(`  ${g}(x, R);`);
  if (median) raw.push(`  ${median.last}`);
  if (ens.divisor !== undefined)
    raw.push(`  for (let k = 0; k < ${ir.nOutputs}; k++) R[k] = ${ens.accumulate === "float32" ? `Math.fround(R[k]! / ${numLit(ens.divisor)})` : `R[k]! / ${numLit(ens.divisor)}`};`);
  raw.push("}");
  code.push(raw.join("\n"));
  return { code, runtime, rawFn: "raw_" };
}

/** Trees with at most this many conditions (and within the nesting limit) are written inline in their group function. */
export const INLINE_MAX_NODES = 128;

/**
 * A small tree as one expression (nested conditionals, the same conditions in the same order as emitTree), for a
 * group function; undefined when the tree has more than INLINE_MAX_NODES conditions or nests deeper than the
 * limit. Built bottom-up with an explicit stack.
 */
function inlineTree(
  tree: Tree,
  ens: TreeEnsemble,
  cats: ReturnType<typeof categoryTables>,
  limits: IfElseLimits,
  leafBase: number,
): { expr: string; nodes: number } | undefined {
  const max = Math.min(INLINE_MAX_NODES, limits.nodesPerFunction);
  const expr = new Map<number, string>();
  const stack: { node: number; depth: number; open: boolean }[] = [{ node: 0, depth: 1, open: false }];
  let count = 0;
  while (stack.length > 0) {
    const it = stack[stack.length - 1]!;
    const n = it.node;
    if (tree.kind[n] === NODE_LEAF) {
      const e = leafExprOf(tree, leafBase, n);
      expr.set(n, e.includes("?") ? `(${e})` : e);
      stack.pop();
      continue;
    }
    if (!it.open) {
      if (it.depth > limits.depthPerFunction || ++count > max) return undefined;
      it.open = true;
      stack.push({ node: tree.right[n]!, depth: it.depth + 1, open: false }, { node: n + 1, depth: it.depth + 1, open: false });
      continue;
    }
    const r = tree.right[n]!;
    expr.set(n, `(${conditionOf(tree, n, ens, cats)}) ? ${expr.get(n + 1)!} : ${expr.get(r)!}`);
    expr.delete(n + 1);
    expr.delete(r);
    stack.pop();
  }
  return { expr: expr.get(0)!, nodes: count };
}

function leafExprOf(tree: Tree, leafBase: number, n: number): string {
  const li = tree.leafIndex[n]!;
  if (tree.linear) return linearLeafExpr(tree, li);
  return tree.leafSize === 1 ? numLit(tree.leafValues[li]!) : String(leafBase + li * tree.leafSize);
}

/** The condition under which split node n goes left. */
function conditionOf(tree: Tree, n: number, ens: TreeEnsemble, cats: ReturnType<typeof categoryTables>): string {
  const f = tree.feature[n]!;
  const dl = tree.defaultLeft[n] === 1;
  return tree.kind[n] === NODE_CATEGORICAL
    ? cats.condition(`x[${f}]!`, tree.catSet[n]!, dl)
    : numericCondition(ens, `x[${f}]!`, tree.threshold[n]!, dl, tree.missingMode[n]);
}

function emitTree(
  tree: Tree,
  base: string,
  xt: string,
  ens: TreeEnsemble,
  cats: ReturnType<typeof categoryTables>,
  limits: IfElseLimits,
  leafBase: number,
  out: string[],
): void {
  emitTreeFunctions(
    tree,
    base,
    limits,
    {
      header: (name) => `function ${name}(x: ${xt}): number {`,
      leaf: (n) => leafExprOf(tree, leafBase, n),
      condition: (n) => conditionOf(tree, n, ens, cats),
    },
    out,
  );
}

/** A linear leaf as an expression: NaN in any used feature gives the plain leaf value. */
function linearLeafExpr(tree: Tree, li: number): string {
  const lin = tree.linear!;
  const from = lin.start[li]!;
  const to = lin.start[li + 1]!;
  const plain = numLit(tree.leafValues[li]!);
  if (from === to) return numLit(lin.constant[li]!);
  const nanTest: string[] = [];
  let sum = numLit(lin.constant[li]!);
  for (let j = from; j < to; j++) {
    const f = lin.features[j]!;
    nanTest.push(`x[${f}]! !== x[${f}]!`);
    sum = `${sum} + ${numLit(lin.coeffs[j]!)} * x[${f}]!`;
  }
  return `${nanTest.join(" || ")} ? ${plain} : ${sum}`;
}
