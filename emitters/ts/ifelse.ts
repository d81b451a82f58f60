// TypeScript printer, `ifelse` style: each tree becomes nested conditions with literal thresholds and leaves.
// The layout comes from the target-neutral lowering (emitters/lower/): ifElsePlan decides which small trees are one
// expression each inside their group function (no call per tree) and how trees are grouped; treeFunctions cuts the
// larger ones into functions of bounded size and nesting depth, so V8 optimizes every one and no parser or compiler
// recursion grows with tree depth. This file only prints; every walk uses explicit stacks.

import { CompileError } from "../../src/errors.ts";
import { modelWidth } from "../../src/ir/preprocess.ts";
import { NODE_CATEGORICAL, NODE_LEAF, type ModelIR, type Tree, type TreeEnsemble } from "../../src/ir/types.ts";
import { baseScores } from "../lower/baseScores.ts";
import { ifElsePlan } from "../lower/ifElsePlan.ts";
import { DEFAULT_IFELSE_LIMITS, INLINE_MAX_NODES, type IfElseLimits } from "../lower/limits.ts";
import { numericTest } from "../lower/numericTest.ts";
import { treeFunctions, type TreeStep } from "../lower/treeFunctions.ts";
import { numLit } from "../literals.ts";
import { accumulate, baseLines, medianCode, rowType, typedConst, type Body } from "./body.ts";
import { numericCondition } from "../conditionSyntax.ts";
import { categoryConditions } from "./conditions.ts";

/** Beyond this, generated source nears V8's maximum string length (about 5.4e8 characters). */
export const IFELSE_MAX_CHARS = 300_000_000;
/** Leaf-table values of the branch-free subtrees written as literals (more: base64, decoded by the runtime). */
const LS_LITERAL_MAX = 4096;

type Cats = ReturnType<typeof categoryConditions>;

export function emitIfElse(ir: ModelIR, ens: TreeEnsemble, limits: IfElseLimits = DEFAULT_IFELSE_LIMITS): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = rowType(ir);
  const cats = categoryConditions(ens, runtime, code);
  const plan = ifElsePlan(ens, limits, { inlineMaxNodes: INLINE_MAX_NODES });
  let chars = 0;
  let counted = 0;

  // Each tree is written once: inline trees as an expression inside their group function, the others as functions
  // t<i> (and t<i>_<node> for split-off subtrees).
  const inlined: (string | undefined)[] = [];
  const free = branchFreeLeaves();
  ens.trees.forEach((tree, t) => {
    const leafBase = plan.leaves.bases[t]!;
    const expr = plan.inline[t]! >= 0 ? inlineTree(tree, ens, cats, leafBase, free.of(tree, leafBase)) : undefined;
    inlined.push(expr);
    if (expr !== undefined) chars += expr.length;
    else emitTree(tree, `t${t}`, xt, ens, cats, limits, leafBase, free.of(tree, leafBase), code);
    for (; counted < code.length; counted++) chars += code[counted]!.length;
    if (chars > IFELSE_MAX_CHARS)
      throw new CompileError(
        "E_LIMIT",
        `ifelse code for this model passes ${IFELSE_MAX_CHARS} characters (at tree ${t})`,
        {},
        "use --style table, which --style auto picks for large models",
      );
  });
  // the leaf table of the branch-free subtrees: literal up to LS_LITERAL_MAX values, so a small ifelse module stays
  // self-contained (no runtime import: in a bundle, not even the runtime chunk is fetched for it)
  if (free.values.length > 0) code.push(typedConst("LS", "Float64Array", free.values, runtime, LS_LITERAL_MAX));
  if (plan.leaves.values.length > 0) {
    const kind = ens.leafType === "float32" ? "Float32Array" : "Float64Array";
    code.push(typedConst("LV", kind, plan.leaves.values, runtime));
  }

  // Group functions: each group's trees in order for every row of a block of nb rows (row r: the view xs[r], its
  // slots at A[r * NO ..]); one row (raw_) is a block of one. Per row the same additions in the same order as tree by
  // tree, and the group's code stays hot across the block. Scalar-leaf groups accumulate in locals (a<o>) and store
  // them at the end: same values, fewer typed-array loads and stores. Weighted median (AdaBoostRegressor): MV[t] = the
  // tree's value, one row at a time (no block form).
  const NO = ir.nOutputs;
  const W = modelWidth(ir);
  const median = ens.aggregate ? medianCode(ens, runtime) : undefined;
  if (median) code.push(...median.decls);
  const groups: string[] = [];
  for (const { from: g0, to: g1 } of plan.groups) {
    const name = `g${groups.length}`;
    groups.push(name);
    const trees = ens.trees.slice(g0, g1);
    const locals = !median && trees.every((tr) => tr.leafSize === 1) ? [...new Set(trees.map((tr) => tr.output))].sort((a, b) => a - b) : [];
    const slot = (o: number) => (NO === 1 ? "A[a]" : `A[a + ${o}]`);
    const add = (o: number, e: string) =>
      locals.length ? (ens.accumulate === "float32" ? `a${o} = Math.fround(a${o} + ${e});` : `a${o} = a${o} + ${e};`) : accumulate(ens.accumulate, slot(o), e);
    const lines = median
      ? [`function ${name}(x: ${xt}): void {`]
      : [
          `function ${name}(xs: ${xt}[], nb: number, A: Float64Array): void {`,
          "  for (let r = 0; r < nb; r++) {",
          "  const x = xs[r]!;",
          NO === 1 ? "  const a = r;" : `  const a = r * ${NO};`,
        ];
    for (const o of locals) lines.push(`  let a${o} = ${slot(o)}!;`);
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
    for (const o of locals) lines.push(`  ${slot(o)} = a${o};`);
    if (!median) lines.push("  }");
    lines.push("}");
    code.push(lines.join("\n"));
  }
  const divide = (n: string, T: string) =>
    `  for (let k = 0; k < ${n}; k++) ${T}[k] = ${ens.accumulate === "float32" ? `Math.fround(${T}[k]! / ${numLit(ens.divisor!)})` : `${T}[k]! / ${numLit(ens.divisor!)}`};`;
  // one row: a block of one, its row in X1 (the tree code reads x[f] from a row, as single-row code does; X1 keeps
  // the last row given, which may be the caller's typed array, until the next one)
  if (!median) code.push(`const X1: ${xt}[] = [new ${xt}(0)];`);
  const raw = [`function raw_(x: ${xt}, R: Float64Array): void {`, ...baseLines(baseScores(ens, NO)).map((l) => "  " + l)];
  if (!median) raw.push("  X1[0] = x;");
  for (const g of groups) raw.push(median ? `  ${g}(x);` : `  ${g}(X1, 1, R);`);
  if (median) raw.push(`  ${median.last}`);
  if (ens.divisor !== undefined) raw.push(divide(String(NO), "R"));
  raw.push("}");
  code.push(raw.join("\n"));
  if (median) return { code, runtime, rawFn: "raw_" };
  // Tree-major batches: the base scores of every row, then each group over the whole block, in group order. The
  // block's rows are views of x, made once per block buffer (XV).
  code.push(
    [
      `const XV: ${xt}[] = [];`,
      `let XVof: ${xt} | undefined;`,
      `function views_(x: ${xt}, nb: number): ${xt}[] {`,
      "  if (XVof !== x) {",
      "    XVof = x;",
      "    XV.length = 0;",
      "  }",
      `  for (let r = XV.length; r < nb; r++) XV.push(x.subarray(r * ${W}, r * ${W} + ${W}));`,
      "  return XV;",
      "}",
    ].join("\n"),
  );
  const blk = [`function rawBlock_(x: ${xt}, nb: number, A: Float64Array): void {`, "  for (let r = 0; r < nb; r++) {", `    const a = r * ${NO};`];
  baseScores(ens, NO).forEach((v, k) => blk.push(`    A[a + ${k}] = ${numLit(v)};`));
  blk.push("  }", "  const xs = views_(x, nb);");
  for (const g of groups) blk.push(`  ${g}(xs, nb, A);`);
  if (ens.divisor !== undefined) blk.push(divide(`nb * ${NO}`, "A"));
  blk.push("}");
  code.push(blk.join("\n"));
  return { code, runtime, rawFn: "raw_", blockFn: "rawBlock_" };
}

/**
 * An inline tree as one expression (nested conditionals, the same conditions in the same order as emitTree), for
 * its group function. Built bottom-up with an explicit stack.
 */
function inlineTree(tree: Tree, ens: TreeEnsemble, cats: Cats, leafBase: number, free: BranchFree): string {
  const expr = new Map<number, string>();
  const stack: { node: number; open: boolean }[] = [{ node: 0, open: false }];
  while (stack.length > 0) {
    const it = stack[stack.length - 1]!;
    const n = it.node;
    const bf = !it.open && tree.kind[n] !== NODE_LEAF ? free(n, (k) => conditionOf(tree, k, ens, cats)) : undefined;
    if (bf !== undefined) {
      expr.set(n, bf.expr);
      stack.pop();
      continue;
    }
    if (tree.kind[n] === NODE_LEAF) {
      const e = leafExprOf(tree, leafBase, n);
      expr.set(n, e.includes("?") ? `(${e})` : e);
      stack.pop();
      continue;
    }
    if (!it.open) {
      it.open = true;
      stack.push({ node: tree.right[n]!, open: false }, { node: n + 1, open: false });
      continue;
    }
    const r = tree.right[n]!;
    expr.set(n, `(${conditionOf(tree, n, ens, cats)}) ? ${expr.get(n + 1)!} : ${expr.get(r)!}`);
    expr.delete(n + 1);
    expr.delete(r);
    stack.pop();
  }
  return expr.get(0)!;
}

/**
 * Subtrees of at most this many conditions are written branch-free (branchFreeLeaves). LightGBM 500 trees × 63
 * leaves, batch, CPU time (bench/RESULTS-wasm-ifelse.md): none 3.2–3.3 ns per visited node, 3 → 3.0, 7 → 2.75–2.9,
 * 15 → 3.0–3.1. (The WebAssembly printer's own limit is higher: its selects are cheaper than these shifts.)
 */
export const BRANCH_FREE_MAX = 7;

/** The branch-free form of the subtree at split n (given the condition printer), or undefined when it has none. */
type BranchFree = (n: number, condition: (k: number) => string) => { expr: string; size: number } | undefined;

/**
 * Branch-free subtrees: a subtree of at most BRANCH_FREE_MAX numeric conditions and no linear leaves is
 * one integer expression that evaluates every condition once (a comparison as 0/1, +(c)) and picks the reached
 * leaf's offset among the subtree's leaves (preorder, so consecutive; at most 16, 4 bits each) by shifting a packed
 * pair: ((L << 4 | R) >>> (+(c) << 2)) & 15 is L when c holds, else R. A scalar leaf is then read from LS, which
 * holds the leaves of every tree that has such a subtree (each tree once); a vector leaf's index in LV follows from
 * the offset. V8 compiles these to compares, setcc
 * and shifts, with no branch for the CPU to mispredict, and a walk's last few levels are its least predictable
 * branches. `values` is LS's content, complete once every tree has been printed.
 */
function branchFreeLeaves(): { values: number[]; of: (tree: Tree, leafBase: number) => BranchFree } {
  const values: number[] = [];
  return {
    values,
    of(tree: Tree, leafBase: number): BranchFree {
      let base = -1;
      return (n, condition) => {
        if (tree.linear) return undefined;
        const order: number[] = [];
        const todo = [n];
        let first = -1;
        while (todo.length > 0) {
          const k = todo.pop()!;
          if (tree.kind[k] === NODE_LEAF) {
            if (first < 0) first = tree.leafIndex[k]!;
            continue;
          }
          if (tree.kind[k] === NODE_CATEGORICAL || order.length >= BRANCH_FREE_MAX) return undefined;
          order.push(k);
          todo.push(tree.right[k]!, k + 1);
        }
        if (base < 0 && tree.leafSize === 1) {
          base = values.length;
          values.push(...tree.leafValues);
        }
        const expr = new Map<number, string>();
        const of = (k: number) => expr.get(k) ?? String(tree.leafIndex[k]! - first);
        for (let i = order.length - 1; i >= 0; i--) {
          const k = order[i]!;
          const l = of(k + 1);
          const r = of(tree.right[k]!);
          const pair = expr.has(k + 1) || expr.has(tree.right[k]!) ? `(${l} << 4 | ${r})` : String((Number(l) << 4) | Number(r));
          expr.set(k, `((${pair} >>> (+(${condition(k)}) << 2)) & 15)`);
        }
        const at = expr.get(n)!;
        // vector leaves: the leaf's index in LV, as leafExprOf writes it
        if (tree.leafSize !== 1) return { expr: `(${leafBase + first * tree.leafSize} + ${at} * ${tree.leafSize})`, size: order.length };
        return { expr: `LS[${base + first} + ${at}]!`, size: order.length };
      };
    },
  };
}

function leafExprOf(tree: Tree, leafBase: number, n: number): string {
  const li = tree.leafIndex[n]!;
  if (tree.linear) return linearLeafExpr(tree, li);
  return tree.leafSize === 1 ? numLit(tree.leafValues[li]!) : String(leafBase + li * tree.leafSize);
}

/** Feature f of the row x. */
const xAt = (f: number): string => `x[${f}]!`;

/** The condition under which split node n goes left. */
function conditionOf(tree: Tree, n: number, ens: TreeEnsemble, cats: Cats): string {
  const f = tree.feature[n]!;
  const dl = tree.defaultLeft[n] === 1;
  if (tree.kind[n] === NODE_CATEGORICAL) return cats.condition(xAt(f), tree.catSet[n]!, dl);
  const t = tree.threshold[n]!;
  return numericCondition(numericTest(ens, t, dl, tree.missingMode[n]), xAt(f), numLit(t));
}

/** A called tree: its functions (treeFunctions) as nested `if` blocks; the entry function is named `base`. */
function emitTree(
  tree: Tree,
  base: string,
  xt: string,
  ens: TreeEnsemble,
  cats: Cats,
  limits: IfElseLimits,
  leafBase: number,
  free: BranchFree,
  out: string[],
): void {
  const fname = (n: number) => (n === 0 ? base : `${base}_${n}`);
  const condition = (k: number) => conditionOf(tree, k, ens, cats);
  for (const fn of treeFunctions(tree, limits)) {
    const lines = [`function ${fname(fn.root)}(x: ${xt}): number {`];
    for (let i = 0; i < fn.steps.length; i++) {
      const s = fn.steps[i]!;
      const pad = " ".repeat(s.depth);
      if (s.kind === "if") {
        // a branch-free subtree: its steps (preorder nodes s.node .. s.node + 2·size, and the ends of its ifs) as one
        // return, unless the function cut falls inside it (a call step)
        const bf = free(s.node, condition);
        const j = bf === undefined ? -1 : subtreeEnd(fn.steps, i, s.node + 2 * bf.size);
        if (bf !== undefined && j >= 0) {
          lines.push(`${pad}return ${bf.expr};`);
          i = j - 1;
          continue;
        }
      }
      if (s.kind === "if") lines.push(`${pad}if (${conditionOf(tree, s.node, ens, cats)}) {`);
      else if (s.kind === "end") lines.push(`${pad}}`);
      else if (s.kind === "leaf") lines.push(`${pad}return ${leafExprOf(tree, leafBase, s.node)};`);
      else lines.push(`${pad}return ${fname(s.node)}(x);`);
    }
    lines.push("}");
    out.push(lines.join("\n"));
  }
}

/**
 * The index after the steps of the subtree whose "if" is steps[i] and whose preorder nodes end at `last`, or -1 when
 * a call step (a function cut) lies inside it.
 */
function subtreeEnd(steps: readonly TreeStep[], i: number, last: number): number {
  const first = steps[i]!;
  if (first.kind !== "if") return -1;
  let j = i + 1;
  for (; j < steps.length; j++) {
    const q = steps[j]!;
    if (q.kind === "end" ? q.depth < first.depth : q.node < first.node || q.node > last) break;
    if (q.kind === "call") return -1;
  }
  return j;
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
    nanTest.push(`${xAt(f)} !== ${xAt(f)}`);
    sum = `${sum} + ${numLit(lin.coeffs[j]!)} * ${xAt(f)}`;
  }
  return `${nanTest.join(" || ")} ? ${plain} : ${sum}`;
}
