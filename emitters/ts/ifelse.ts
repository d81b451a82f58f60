// The `ifelse` style: each tree becomes nested conditions with literal thresholds and leaves.
// Trees are cut into functions of bounded size and nesting depth, so V8 optimizes every one and
// no parser or compiler recursion grows with tree depth. Emission itself uses an explicit stack.

import { CompileError } from "../../src/errors.ts";
import { NODE_CATEGORICAL, type ModelIR, type Tree, type TreeEnsemble } from "../../src/ir/types.ts";
import { numLit } from "../literals.ts";
import { accumulate, baseLines, rowType, typedConst, type Body } from "./body.ts";
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

  ens.trees.forEach((tree, t) => {
    let leafBase = -1;
    if (tree.leafSize > 1) {
      leafBase = vectorLeaves.length;
      for (let i = 0; i < tree.leafValues.length; i++) vectorLeaves.push(tree.leafValues[i]!);
    }
    leafOffsets.push(leafBase);
    emitTree(tree, `t${t}`, xt, ens, cats, limits, leafBase, code);
    for (; counted < code.length; counted++) chars += code[counted]!.length;
    if (chars > IFELSE_MAX_CHARS)
      throw new CompileError("E_LIMIT", `ifelse code for this model passes ${IFELSE_MAX_CHARS} characters (at tree ${t})`, {}, "use --style table, which --style auto picks for large models");
  });
  if (vectorLeaves.length > 0) {
    const kind = ens.leafType === "float32" ? "Float32Array" : "Float64Array";
    code.push(typedConst("LV", kind, vectorLeaves, runtime));
  }

  // Group functions: R[o] += t(x), in tree order.
  const groups: string[] = [];
  for (let g0 = 0; g0 < ens.trees.length; g0 += limits.treesPerGroup) {
    const name = `g${groups.length}`;
    groups.push(name);
    const lines = [`function ${name}(x: ${xt}, R: Float64Array): void {`];
    for (let t = g0; t < Math.min(ens.trees.length, g0 + limits.treesPerGroup); t++) {
      const tree = ens.trees[t]!;
      if (tree.leafSize === 1) {
        lines.push("  " + accumulate(ens.accumulate, `R[${tree.output}]`, `t${t}(x)`));
      } else {
        lines.push(`  { const l = t${t}(x);`);
        for (let k = 0; k < tree.leafSize; k++) lines.push("    " + accumulate(ens.accumulate, `R[${k}]`, `LV[l + ${k}]!`));
        lines.push("  }");
      }
    }
    lines.push("}");
    code.push(lines.join("\n"));
  }
  const raw = [`function raw_(x: ${xt}, R: Float64Array): void {`, ...baseLines(ir, ens.base, ens.accumulate).map((l) => "  " + l)];
  for (const g of groups) raw.push(`  ${g}(x, R);`);
  if (ens.divisor !== undefined)
    raw.push(`  for (let k = 0; k < ${ir.nOutputs}; k++) R[k] = ${ens.accumulate === "float32" ? `Math.fround(R[k]! / ${numLit(ens.divisor)})` : `R[k]! / ${numLit(ens.divisor)}`};`);
  raw.push("}");
  code.push(raw.join("\n"));
  return { code, runtime, rawFn: "raw_" };
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
  emitTreeFunctions(tree, base, limits, {
    header: (name) => `function ${name}(x: ${xt}): number {`,
    leaf: (n) => {
      const li = tree.leafIndex[n]!;
      if (tree.linear) return linearLeafExpr(tree, li);
      return tree.leafSize === 1 ? numLit(tree.leafValues[li]!) : String(leafBase + li * tree.leafSize);
    },
    condition: (n) => {
      const f = tree.feature[n]!;
      const dl = tree.defaultLeft[n] === 1;
      return tree.kind[n] === NODE_CATEGORICAL
        ? cats.condition(`x[${f}]!`, tree.catSet[n]!, dl)
        : numericCondition(ens, `x[${f}]!`, tree.threshold[n]!, dl, tree.missingMode[n]);
    },
  }, out);
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
