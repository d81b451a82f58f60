// AssemblyScript printer, `ifelse` style: each tree becomes nested `if`s with literal thresholds and leaves, cut into
// functions of bounded size and nesting depth by the lowering (emitters/lower/treeFunctions.ts, the same cut as the
// TypeScript style; no tree is inlined, so the groups are runs of treesPerGroup trees), so neither asc, binaryen nor
// the engine's WebAssembly compiler sees recursion or a function that grows with tree depth. Printing uses flat step
// lists. Group functions run each tree for every row of the block.

import { MISSING_ZERO, NODE_CATEGORICAL, type Tree, type TreeEnsemble } from "../../src/ir/types.ts";
import { ifElsePlan } from "../lower/ifElsePlan.ts";
import { DEFAULT_IFELSE_LIMITS, type IfElseLimits } from "../lower/limits.ts";
import { numericTest } from "../lower/numericTest.ts";
import { treeFunctions } from "../lower/treeFunctions.ts";
import { accAdd, asType, convert, loadFeature, medianAs, type AsBody, type AsContext } from "./body.ts";
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

  const plan = ifElsePlan(ens, limits);
  ens.trees.forEach((tree, t) => emitTree(ctx, ens, tree, `t${t}`, lt, cats, limits, plan.leaves.bases[t]!, code));
  if (plan.leaves.values.length > 0) code.push(ctx.data.float("LV", lt, plan.leaves.values));
  const lsize = lt === "f32" ? 4 : 8;

  // Group functions: each tree of the group for every row of the block, trees in order.
  const groups: string[] = [];
  const NO = ir.nOutputs;
  const median = ens.aggregate ? medianAs(ctx, ens, runtime) : undefined;
  if (median) code.push(...median.decls);
  for (const { from, to } of plan.groups) {
    const name = `g${groups.length}`;
    groups.push(name);
    const lines = [`function ${name}(x: usize, n: i32, stride: usize): void {`];
    for (let t = from; t < to; t++) {
      const tree = ens.trees[t]!;
      lines.push(`  for (let r = 0; r < n; r++) {`, `    const a = ACC + <usize>r * ${8 * NO};`);
      if (median) {
        lines.push(`    ${median.store("r", t, lt, `t${t}(x + <usize>r * stride)`)}`);
      } else if (tree.leafSize === 1) {
        lines.push(`    ${accAdd(at, "a", tree.output, tree.linear ? "f64" : lt, `t${t}(x + <usize>r * stride)`)}`);
      } else {
        lines.push(`    const l = LV + (<usize>t${t}(x + <usize>r * stride) << ${lt === "f32" ? 2 : 3});`);
        for (let k = 0; k < tree.leafSize; k++) lines.push(`    ${accAdd(at, "a", k, lt, `load<${lt}>(l, ${k * lsize})`)}`);
      }
      lines.push("  }");
    }
    lines.push("}");
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

function emitTree(
  ctx: AsContext,
  ens: TreeEnsemble,
  tree: Tree,
  base: string,
  lt: AsType,
  cats: Cats,
  limits: IfElseLimits,
  leafBase: number,
  out: string[],
): void {
  const rt = tree.leafSize === 1 ? lt : "i32";
  const fname = (n: number) => (n === 0 ? base : `${base}_${n}`);
  const leaf = (n: number) => {
    const li = tree.leafIndex[n]!;
    if (tree.linear) return linearLeafExpr(ctx, tree, li);
    return tree.leafSize === 1 ? typedLit(tree.leafValues[li]!, lt) : String(leafBase + li * tree.leafSize);
  };
  const condition = (n: number) =>
    tree.kind[n] === NODE_CATEGORICAL
      ? cats.condition(`<f64>${loadFeature(ctx, tree.feature[n]!)}`, tree.catSet[n]!, tree.defaultLeft[n] === 1)
      : numericNode(ctx, ens, tree, n);
  for (const fn of treeFunctions(tree, limits)) {
    const lines = [`function ${fname(fn.root)}(x: usize): ${rt} {`];
    for (const s of fn.steps) {
      const pad = " ".repeat(s.depth);
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
