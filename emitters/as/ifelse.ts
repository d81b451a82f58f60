// AssemblyScript printer, `ifelse` style: each tree becomes nested `if`s with literal thresholds and leaves. Trees
// within the function limits (emitters/lower/limits.ts) are written inline in their group function, the others cut
// into functions of bounded size and nesting depth by the lowering (emitters/lower/treeFunctions.ts, the same cut as
// the TypeScript style), so neither asc, binaryen nor the engine's WebAssembly compiler sees recursion or a function
// that grows with tree depth. Printing uses flat step lists and explicit stacks. A group function runs its trees for
// each row of the block in turn; small subtrees are branch-free (branchFree).

import { MISSING_ZERO, NODE_CATEGORICAL, NODE_LEAF, type Tree, type TreeEnsemble } from "../../src/ir/types.ts";
import { ifElsePlan } from "../lower/ifElsePlan.ts";
import { DEFAULT_IFELSE_LIMITS, type IfElseLimits } from "../lower/limits.ts";
import { numericTest } from "../lower/numericTest.ts";
import { treeFunctions } from "../lower/treeFunctions.ts";
import { accAdd, addIn, asType, convert, loadFeature, medianAs, type AsBody, type AsContext } from "./body.ts";
import { f64Lit, isF32, typedLit, typeOfValues, type AsType } from "./literals.ts";
import { numericCondition } from "../conditionSyntax.ts";
import { blockStart, categoryData, divisorLines } from "./table.ts";

type Cats = ReturnType<typeof categoryData>;

export function emitIfElseAs(ctx: AsContext, ens: TreeEnsemble, limits: IfElseLimits = DEFAULT_IFELSE_LIMITS): AsBody {
  const { ir } = ctx;
  const runtime = new Set<string>();
  const code: string[] = [];
  const at = asType(ens.accumulate);
  // leaves as float32 when they all are exactly float32 (linear leaves compute in double); the sum widens as needed
  const lt: AsType = typeOfValues(
    (function* () {
      for (const t of ens.trees) yield* t.leafValues;
    })(),
    ens.trees.every((t) => t.linear === undefined),
  );
  const cats = categoryData(ctx, ens, runtime, code);

  // Every tree within the function limits is inline (nodesPerFunction conditions, depthPerFunction levels), not only
  // the TypeScript printer's INLINE_MAX_NODES: a call per tree and row costs a jump-table call and spills in wasm
  // (XGBoost 1000 trees × depth 8, forced to ifelse: 39–41 000 rows per CPU-second with calls, 57–59 000 inline;
  // bench/RESULTS-wasm-ifelse.md). Weighted-median ensembles call every tree (their per-row store is not a sum).
  const plan = ifElsePlan(ens, limits, ens.aggregate ? {} : { inlineMaxNodes: limits.nodesPerFunction });
  const leafOf = (tree: Tree, t: number) => leafFn(ctx, tree, lt, plan.leaves.bases[t]!);
  ens.trees.forEach((tree, t) => {
    if (plan.inline[t]! < 0) emitTree(ctx, ens, tree, `t${t}`, lt, cats, limits, leafOf(tree, t), code);
  });
  if (plan.leaves.values.length > 0) code.push(ctx.data.float("LV", lt, plan.leaves.values));
  const lsize = lt === "f32" ? 4 : 8;

  // Group functions: for each row of the block, the group's trees in order (per row the same additions in the same
  // order as tree by tree). Inline trees (ifElsePlan, as the TypeScript printer: small and shallow enough) are nested
  // if/else blocks inside the row loop, each leaf setting v<t>; larger trees are called (t<i>(x)). Scalar-leaf groups
  // sum in locals a<o> and store them once per row (the same values: the f64 slots hold the accumulator's type).
  const groups: string[] = [];
  const NO = ir.nOutputs;
  const median = ens.aggregate ? medianAs(ctx, ens, runtime) : undefined;
  if (median) code.push(...median.decls);
  for (const { from, to } of plan.groups) {
    const name = `g${groups.length}`;
    groups.push(name);
    const lines = [`function ${name}(xb: usize, n: i32, stride: usize): void {`];
    const trees = ens.trees.slice(from, to);
    const locals = !median && trees.every((tr) => tr.leafSize === 1) ? [...new Set(trees.map((tr) => tr.output))].sort((a, b) => a - b) : [];
    lines.push("  for (let r = 0; r < n; r++) {", "    const x = xb + <usize>r * stride;", `    const a = ACC + <usize>r * ${8 * NO};`);
    for (const o of locals) lines.push(`    let a${o} = <${at}>load<f64>(a, ${8 * o});`);
    for (let t = from; t < to; t++) {
      const tree = ens.trees[t]!;
      const pad = "    ";
      const rt = tree.leafSize === 1 ? lt : "i32";
      let value = `t${t}(x)`;
      if (plan.inline[t]! >= 0) {
        lines.push(`${pad}let v${t}: ${rt};`);
        inlineTree(ctx, ens, tree, cats, lt, leafOf(tree, t), `v${t}`, pad, lines);
        value = `v${t}`;
      }
      const et: AsType = tree.linear ? "f64" : lt;
      if (median) {
        lines.push(`${pad}${median.store("r", t, lt, value)}`);
      } else if (tree.leafSize === 1) {
        if (locals.length) lines.push(`${pad}a${tree.output} = ${addIn(at, `a${tree.output}`, et, value)};`);
        else lines.push(`${pad}${accAdd(at, "a", tree.output, et, value)}`);
      } else {
        lines.push(`${pad}{ const l = LV + (<usize>${value} << ${lt === "f32" ? 2 : 3});`);
        for (let k = 0; k < tree.leafSize; k++) lines.push(`${pad}  ${accAdd(at, "a", k, lt, `load<${lt}>(l, ${k * lsize})`)}`);
        lines.push(`${pad}}`);
      }
    }
    for (const o of locals) lines.push(`    store<f64>(a, <f64>a${o}, ${8 * o});`);
    lines.push("  }", "}");
    code.push(lines.join("\n"));
  }
  const raw = ["function rawBlock_(x: usize, n: i32, stride: usize): void {", ...blockStart(ctx, ens)];
  for (const g of groups) raw.push(`  ${g}(x, n, stride);`);
  if (median) raw.push(...median.last);
  raw.push(...divisorLines(ctx, ens), "}");
  code.push(raw.join("\n"));
  return { code, runtime };
}

/** Go-left condition of numeric node n: compared in f32 when the row and every literal are float32, else in f64. */
function numericNode(ctx: AsContext, ens: TreeEnsemble, tree: Tree, n: number): string {
  const t = tree.threshold[n]!;
  const mode = tree.missingMode[n]!;
  const ct: AsType = ctx.xt === "f32" && isF32(t) && (mode !== MISSING_ZERO || isF32(ens.zeroThreshold)) ? "f32" : "f64";
  const load = loadFeature(ctx, tree.feature[n]!);
  const v = convert(load, ctx.xt, ct);
  // (NaN at an as-zero node goes where 0 goes: known now, so the test is a default-direction one)
  return numericCondition(numericTest(ens, t, tree.defaultLeft[n] === 1, mode), v, typedLit(t, ct));
}

/** Leaf n's value expression: the literal (scalar leaves), the leaf vector's index in LV, or the linear leaf. */
function leafFn(ctx: AsContext, tree: Tree, lt: AsType, leafBase: number): (n: number) => string {
  return (n: number) => {
    const li = tree.leafIndex[n]!;
    if (tree.linear) return linearLeafExpr(ctx, tree, li);
    return tree.leafSize === 1 ? typedLit(tree.leafValues[li]!, lt) : String(leafBase + li * tree.leafSize);
  };
}

function conditionFn(ctx: AsContext, ens: TreeEnsemble, tree: Tree, cats: Cats): (n: number) => string {
  return (n: number) =>
    tree.kind[n] === NODE_CATEGORICAL
      ? cats.condition(`<f64>${loadFeature(ctx, tree.feature[n]!)}`, tree.catSet[n]!, tree.defaultLeft[n] === 1)
      : numericNode(ctx, ens, tree, n);
}

/**
 * An inline tree (ifElsePlan: within the nesting limit) as nested if/else blocks whose leaves set `v`, printed
 * with an explicit stack, conditions in the same order as emitTree.
 */
function inlineTree(
  ctx: AsContext,
  ens: TreeEnsemble,
  tree: Tree,
  cats: Cats,
  lt: AsType,
  leaf: (n: number) => string,
  v: string,
  pad: string,
  out: string[],
): void {
  const condition = conditionFn(ctx, ens, tree, cats);
  const stack: (number | string)[] = [0];
  let depth = 0;
  while (stack.length > 0) {
    const it = stack.pop()!;
    if (typeof it === "string") {
      if (it === "}") depth--;
      out.push(`${pad}${" ".repeat(it === "}" ? depth : depth - 1)}${it}`);
      continue;
    }
    const p = pad + " ".repeat(depth);
    if (tree.kind[it] === NODE_LEAF) {
      out.push(`${p}${v} = ${leaf(it)};`);
      continue;
    }
    const free = branchFree(tree, it, lt, condition, leaf);
    if (free !== undefined) {
      out.push(`${p}${v} = ${free.expr};`);
      continue;
    }
    out.push(`${p}if (${condition(it)}) {`);
    depth++;
    stack.push("}", tree.right[it]!, "} else {", it + 1);
  }
}

/**
 * Subtrees of at most this many conditions are written branch-free (branchFree). LightGBM 500 trees × 63 leaves,
 * batch, CPU time (bench/RESULTS-wasm-ifelse.md): 1 → 2.8 ns per visited node, 3 → 2.4, 7 → 2.1, 15 → 1.9–2.05,
 * 31 → 2.05; limiting the subtree's depth instead was slower.
 */
export const BRANCH_FREE_MAX = 15;

/**
 * The subtree at split n as one branch-free expression when it has at most BRANCH_FREE_MAX numeric conditions and
 * no linear leaves; undefined otherwise. Every condition of the subtree is evaluated (loads of the row have no side
 * effects) and nested integer selects pick the reached leaf's index in LV (vector leaves) or its bit pattern,
 * reinterpreted as the leaf type: V8 compiles an integer select to a conditional move and a float select to a
 * branch, and a walk through a small subtree is the part of a tree whose branches the CPU predicts worst. Same leaf as the if/else walk: each
 * select takes its left operand exactly when the node's go-left condition holds. `size` is its conditions.
 */
function branchFree(
  tree: Tree,
  n: number,
  lt: AsType,
  condition: (n: number) => string,
  leaf: (n: number) => string,
): { expr: string; size: number } | undefined {
  if (tree.linear) return undefined;
  const vector = tree.leafSize !== 1;
  const it = vector ? "i32" : lt === "f64" ? "i64" : "i32";
  const order: number[] = [];
  const todo = [n];
  while (todo.length > 0) {
    const k = todo.pop()!;
    if (tree.kind[k] === NODE_LEAF) continue;
    if (tree.kind[k] === NODE_CATEGORICAL || order.length >= BRANCH_FREE_MAX) return undefined;
    order.push(k);
    todo.push(tree.right[k]!, k + 1);
  }
  const expr = new Map<number, string>();
  const of = (k: number) => expr.get(k) ?? (vector ? leaf(k) : floatBits(tree.leafValues[tree.leafIndex[k]!]!, lt));
  for (let i = order.length - 1; i >= 0; i--) {
    const k = order[i]!;
    expr.set(k, `select<${it}>(${of(k + 1)}, ${of(tree.right[k]!)}, ${condition(k)})`);
  }
  return { expr: vector ? expr.get(n)! : `reinterpret<${lt}>(${expr.get(n)!})`, size: order.length };
}

/** The bit pattern of v as a float of type t, as a signed integer literal of the same width. */
function floatBits(v: number, t: AsType): string {
  const view = new DataView(new ArrayBuffer(8));
  if (t === "f64") {
    view.setFloat64(0, v);
    return String(view.getBigInt64(0));
  }
  view.setFloat32(0, v);
  return String(view.getInt32(0));
}

function emitTree(
  ctx: AsContext,
  ens: TreeEnsemble,
  tree: Tree,
  base: string,
  lt: AsType,
  cats: Cats,
  limits: IfElseLimits,
  leaf: (n: number) => string,
  out: string[],
): void {
  const rt = tree.leafSize === 1 ? lt : "i32";
  const fname = (n: number) => (n === 0 ? base : `${base}_${n}`);
  const condition = conditionFn(ctx, ens, tree, cats);
  for (const fn of treeFunctions(tree, limits)) {
    const lines = [`function ${fname(fn.root)}(x: usize): ${rt} {`];
    for (let i = 0; i < fn.steps.length; i++) {
      const s = fn.steps[i]!;
      const pad = " ".repeat(s.depth);
      const free = s.kind === "if" ? branchFree(tree, s.node, lt, condition, leaf) : undefined;
      if (s.kind === "if" && free !== undefined) {
        // the subtree's steps (preorder nodes s.node .. s.node + 2·size, and the ends of its ifs) as one return;
        // a call step inside it (a cut) keeps the if/else form
        const last = s.node + 2 * free.size;
        let j = i + 1;
        let cut = false;
        for (; j < fn.steps.length; j++) {
          const q = fn.steps[j]!;
          if (q.kind === "end" ? q.depth < s.depth : q.node < s.node || q.node > last) break;
          if (q.kind === "call") cut = true;
        }
        if (!cut) {
          lines.push(`${pad}return ${free.expr};`);
          i = j - 1;
          continue;
        }
      }
      if (s.kind === "if") lines.push(`${pad}if (${condition(s.node)}) {`);
      else if (s.kind === "end") lines.push(`${pad}}`);
      else if (s.kind === "leaf") lines.push(`${pad}return ${leaf(s.node)};`);
      else lines.push(`${pad}return ${fname(s.node)}(x);`);
    }
    lines.push("}");
    out.push(lines.join("\n"));
  }
}

/** A linear leaf (evaluate.ts linearLeafValue): const + Σ coeff·x in order, or the plain value if a used x is NaN. */
function linearLeafExpr(ctx: AsContext, tree: Tree, li: number): string {
  const lin = tree.linear!;
  const from = lin.start[li]!;
  const to = lin.start[li + 1]!;
  if (from === to) return f64Lit(lin.constant[li]!);
  const nan: string[] = [];
  let sum = f64Lit(lin.constant[li]!);
  for (let j = from; j < to; j++) {
    const v = convert(loadFeature(ctx, lin.features[j]!), ctx.xt, "f64");
    nan.push(`${v} != ${v}`);
    sum = `${sum} + ${f64Lit(lin.coeffs[j]!)} * ${v}`;
  }
  return `${nan.join(" || ")} ? ${f64Lit(tree.leafValues[li]!)} : ${sum}`;
}
