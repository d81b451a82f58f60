// TypeScript printer, `table` style: every node of every tree in typed arrays (decoded once from base64) and one
// tight loop. The tables come from the lowering (emitters/lower/nodeTable.ts): preorder layout makes the left child
// implicit (n + 1); a node packs its feature, default direction, categorical and zero-band flags into one int32
// (emitters/lower/nodeFlags.ts), and a leaf is marked by -1 (-2: a linear leaf). Vector leaves are pooled.
//
// Lockstep batches (trees with numeric splits and scalar leaves only: no categorical splits, zero band, vector or
// linear leaves, weighted medians): rawBlock_ walks LOCKSTEP rows through a tree together, for at most the tree's
// depth in steps (TD), and picks each row's next node with integer masks instead of a branch:
// n = RC[n] + ((n + 1 - RC[n]) & -go), go = (v op t) | (NaN & default-left), the single-row walk's rule. A leaf is
// then LANE_LEAF (negative, feature 0, no default-left bit) and its own right child, and its threshold in LT (TV with
// NaN at the leaves, built at load) never sends a row left, so a row that reached its leaf stays there. Each row
// reaches the walk's leaf and its sums are added in the same tree order (bit-identical); the nb mod LOCKSTEP rows
// left over take walkB. From the EXIT_AFTER-th step on, the walk stops once all its rows are at leaves (deep,
// unbalanced trees). Measured on XGBoost 1000 trees x depth 8 (bench/RESULTS-js-table.md): about 2x; a ternary
// instead of the masks compiles to branches and is slower than the plain walk.

import type { ModelIR, TreeEnsemble } from "../../src/ir/types.ts";
import { modelWidth } from "../../src/ir/preprocess.ts";
import { baseScores } from "../lower/baseScores.ts";
import { CATEGORICAL, DEFAULT_LEFT, DEFAULT_LEFT_BIT, FEATURE_MASK, ZERO_BAND } from "../lower/nodeFlags.ts";
import { nodeTable } from "../lower/nodeTable.ts";
import { treeDepths } from "../lower/treeDepths.ts";
import { numericTest } from "../lower/numericTest.ts";
import { numLit } from "../literals.ts";
import { accumulate, baseLines, medianCode, rowType, typedConst, type Body } from "./body.ts";
import { numericCondition } from "../conditionSyntax.ts";
import { categoryConditions } from "./conditions.ts";

export function emitTable(ir: ModelIR, ens: TreeEnsemble): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = rowType(ir);
  const cats = categoryConditions(ens, runtime, code);

  // vector leaves, each distinct vector once (forests of deep trees repeat a few, e.g. pure leaves);
  // linear leaves (LightGBM linear_tree): FK = -2, RC = index into LC/LS; LS/LF/LK hold the models
  const table = nodeTable(ens, ir.nOutputs, { poolVectorLeaves: true });
  const { hasVector, hasScalar, hasZeroBand, linear: lin } = table;
  const V = ens.thresholdType === "float64" || ens.leafType === "float64" ? table.value : new Float32Array(table.value);

  const vKind = V instanceof Float64Array ? "Float64Array" : "Float32Array";
  const lockstep = !table.hasCategorical && !hasZeroBand && !hasVector && lin.constants.length === 0 && !ens.aggregate;
  let FK = table.fk;
  let RC = table.right;
  if (lockstep) {
    // a leaf is LANE_LEAF and its own right child (see the top of this file)
    FK = FK.slice();
    RC = RC.slice();
    for (let g = 0; g < FK.length; g++)
      if (FK[g]! < 0) {
        FK[g] = LANE_LEAF;
        RC[g] = g;
      }
  }
  code.push(typedConst("FK", "Int32Array", FK, runtime));
  code.push(typedConst("TV", vKind, V, runtime));
  code.push(typedConst("RC", "Int32Array", RC, runtime));
  code.push(typedConst("TS", "Int32Array", table.treeStart, runtime));
  if (lockstep) {
    code.push(typedConst("TD", "Int32Array", treeDepths(table), runtime));
    code.push(
      "const LT = /* @__PURE__ */ (() => {",
      "  const t = TV.slice();",
      "  for (let n = 0; n < t.length; n++) if (FK[n]! < 0) t[n] = NaN;",
      "  return t;",
      "})();",
    );
  }
  if (ir.nOutputs > 1 || hasVector) code.push(typedConst("TO", "Int32Array", table.treeOutput, runtime));
  if (hasVector) code.push(typedConst("LV", ens.leafType === "float32" ? "Float32Array" : "Float64Array", table.leafVectors, runtime));
  const hasLinear = lin.constants.length > 0;
  if (hasLinear) {
    code.push(typedConst("LC", "Float64Array", lin.constants, runtime));
    code.push(typedConst("LS", "Int32Array", lin.starts, runtime));
    code.push(typedConst("LF", "Int32Array", lin.features, runtime));
    code.push(typedConst("LK", "Float64Array", lin.coeffs, runtime));
    // single row (x) and block row (x from offset b): the same code, the block's reads offset by b
    for (const [name, params, at] of [
      ["linLeaf", `x: ${xt}, n: number`, ""],
      ["linLeafB", `x: ${xt}, b: number, n: number`, "b + "],
    ] as const) {
      code.push(
        [
          `function ${name}(${params}): number {`,
          "  const l = RC[n]!;",
          "  let out = LC[l]!;",
          "  for (let j = LS[l]!; j < LS[l + 1]!; j++) {",
          `    const v = x[${at}LF[j]!]!;`,
          "    if (v !== v) return TV[n]!;",
          "    out += LK[j]! * v;",
          "  }",
          "  return out;",
          "}",
        ].join("\n"),
      );
    }
  }
  const hasCat = ens.categories.length > 0;
  if (hasCat) {
    const spans = new Int32Array(cats.spans.length * 2);
    cats.spans.forEach(([s, n], i) => {
      spans[2 * i] = s;
      spans[2 * i + 1] = n;
    });
    code.push(typedConst("CS", "Int32Array", spans, runtime));
  }

  // walk (one row in x) and walkB (the row at offset b of a block): the same loop
  for (const [name, params, at] of [
    ["walk", `x: ${xt}, n: number`, ""],
    ["walkB", `x: ${xt}, b: number, n: number`, "b + "],
  ] as const) {
    const walk = [
      `function ${name}(${params}): number {`,
      "  for (;;) {",
      "    const fk = FK[n]!;",
      "    if (fk < 0) return n;",
      `    const v = x[${at === "" ? `fk & ${FEATURE_MASK}` : `${at}(fk & ${FEATURE_MASK})`}]!;`,
    ];
    if (hasCat) {
      walk.push(
        `    if ((fk & ${CATEGORICAL}) !== 0) {`,
        "      const s = TV[n]! * 2;",
        `      n = ${cats.dynamicCondition("v", "CS[s]!", "CS[s + 1]!", `(fk & ${DEFAULT_LEFT}) !== 0`)} ? n + 1 : RC[n]!;`,
        "      continue;",
        "    }",
      );
    }
    if (hasZeroBand) {
      const z = numLit(ens.zeroThreshold);
      walk.push(
        `    if ((fk & ${ZERO_BAND}) !== 0 && !(v < -${z} || v > ${z})) {`,
        `      n = (fk & ${DEFAULT_LEFT}) !== 0 ? n + 1 : RC[n]!;`,
        "      continue;",
        "    }",
      );
    }
    // Default direction read from the packed flag: NaN goes left only when the flag is set.
    const left = numericCondition(numericTest(ens, undefined, false), "v", "t");
    walk.push("    const t = TV[n]!;", `    n = ${left} || (v !== v && (fk & ${DEFAULT_LEFT}) !== 0) ? n + 1 : RC[n]!;`, "  }", "}");
    code.push(walk.join("\n"));
  }

  const raw = [`function raw_(x: ${xt}, R: Float64Array): void {`, ...baseLines(baseScores(ens, ir.nOutputs)).map((l) => "  " + l)];
  raw.push(`  for (let t = 0; t < ${ens.trees.length}; t++) {`, "    const n = walk(x, TS[t]!);");
  const leafValue = hasLinear ? "(FK[n] === -1 ? TV[n]! : linLeaf(x, n))" : "TV[n]!";
  const scalarAdd = accumulate(ens.accumulate, ir.nOutputs > 1 || hasVector ? "R[o]" : "R[0]", leafValue);
  const median = ens.aggregate ? medianCode(ens, runtime) : undefined;
  if (median) {
    code.push(...median.decls);
    raw.push(`    MV[t] = ${leafValue};`);
  } else if (hasVector) {
    const K = ir.nOutputs;
    raw.push("    const o = TO[t]!;", "    if (o < 0) {", "      const l = RC[n]!;");
    raw.push(`      for (let k = 0; k < ${K}; k++) ${accumulate(ens.accumulate, "R[k]", "LV[l + k]!")}`);
    raw.push("      continue;", "    }");
    if (hasScalar) raw.push(`    ${scalarAdd}`);
  } else if (ir.nOutputs > 1) {
    raw.push("    const o = TO[t]!;", `    ${scalarAdd}`);
  } else {
    raw.push(`    ${scalarAdd}`);
  }
  raw.push("  }");
  if (median) raw.push(`  ${median.last}`);
  if (ens.divisor !== undefined)
    raw.push(
      `  for (let k = 0; k < ${ir.nOutputs}; k++) R[k] = ${ens.accumulate === "float32" ? `Math.fround(R[k]! / ${numLit(ens.divisor)})` : `R[k]! / ${numLit(ens.divisor)}`};`,
    );
  raw.push("}");
  code.push(raw.join("\n"));

  // Tree-major batches: each tree walked for every row of a block (its nodes stay in cache across the block's
  // rows), each row's slots at A[r * NO ..]. Per row the same additions in the same (tree) order as raw_.
  // Weighted-median ensembles keep row-by-row batches (raw_ and its per-tree values MV).
  if (median) return { code, runtime, rawFn: "raw_" };
  const NO = ir.nOutputs;
  const W = modelWidth(ir);
  const blk = [`function rawBlock_(x: ${xt}, nb: number, A: Float64Array): void {`, "  for (let r = 0; r < nb; r++) {", `    const a = r * ${NO};`];
  baseScores(ens, NO).forEach((b, k) => blk.push(`    A[a + ${k}] = ${numLit(b)};`));
  blk.push("  }", `  for (let t = 0; t < ${ens.trees.length}; t++) {`, "    const s = TS[t]!;");
  const leafB = hasLinear ? "(FK[n] === -1 ? TV[n]! : linLeafB(x, r * " + W + ", n))" : "TV[n]!";
  const rowLoop = (stmts: string[]) => [
    `    for (let r = 0; r < nb; r++) {`,
    `      const n = walkB(x, r * ${W}, s);`,
    ...stmts.map((l) => "      " + l),
    "    }",
  ];
  const scalarB = accumulate(ens.accumulate, ir.nOutputs > 1 || hasVector ? `A[r * ${NO} + o]` : "A[r]", leafB);
  if (hasVector) {
    blk.push("    const o = TO[t]!;", "    if (o < 0) {");
    blk.push(
      ...rowLoop(["const l = RC[n]!;", `const a = r * ${NO};`, `for (let k = 0; k < ${NO}; k++) ${accumulate(ens.accumulate, "A[a + k]", "LV[l + k]!")}`]).map(
        (l) => "  " + l,
      ),
    );
    blk.push("      continue;", "    }");
    if (hasScalar) blk.push(...rowLoop([scalarB]));
  } else {
    if (ir.nOutputs > 1) blk.push("    const o = TO[t]!;");
    if (lockstep) {
      const op = numericTest(ens, undefined, false).op;
      const ks = Array.from({ length: LOCKSTEP }, (_, j) => j);
      const slot = (j: number) => (ir.nOutputs > 1 ? `A[(r + ${j}) * ${NO} + o]` : `A[r + ${j}]`);
      blk.push(
        "    const d = TD[t]!;",
        "    let r = 0;",
        `    for (; r + ${LOCKSTEP} <= nb; r += ${LOCKSTEP}) {`,
        ...ks.map((j) => `      const b${j} = (r + ${j}) * ${W};`),
        ...ks.map((j) => `      let n${j} = s;`),
        "      for (let i = 0; i < d; i++) {",
        ...ks.flatMap((j) => [
          `        const f${j} = FK[n${j}]!;`,
          `        const v${j} = x[b${j} + (f${j} & ${FEATURE_MASK})]!;`,
          `        const r${j} = RC[n${j}]!;`,
          `        n${j} = r${j} + ((n${j} + 1 - r${j}) & -(+(v${j} ${op} LT[n${j}]!) | (+(v${j} !== v${j}) & (f${j} >>> ${DEFAULT_LEFT_BIT}))));`,
        ]),
        // deep, unbalanced trees (LightGBM): after EXIT_AFTER steps, stop when every row is at a leaf
        `        if (i >= ${EXIT_AFTER - 1} && (${ks.map((j) => `FK[n${j}]!`).join(" & ")}) < 0) break;`,
        "      }",
        ...ks.map((j) => `      ${accumulate(ens.accumulate, slot(j), `TV[n${j}]!`)}`),
        "    }",
        `    for (; r < nb; r++) {`,
        `      const n = walkB(x, r * ${W}, s);`,
        `      ${scalarB}`,
        "    }",
      );
    } else blk.push(...rowLoop([scalarB]));
  }
  blk.push("  }");
  if (ens.divisor !== undefined) {
    const q = `A[j]! / ${numLit(ens.divisor)}`;
    blk.push(`  for (let j = 0; j < nb * ${NO}; j++) A[j] = ${ens.accumulate === "float32" ? `Math.fround(${q})` : q};`);
  }
  blk.push("}");
  code.push(blk.join("\n"));
  return { code, runtime, rawFn: "raw_", blockFn: "rawBlock_" };
}

/** Rows walked through a tree together by a lockstep batch (measured: 8 beat 4, 6, 10 and 12). */
const LOCKSTEP = 8;
/**
 * Steps of a lockstep walk before it checks, after each step, whether all its rows are at leaves (measured: checking
 * from the first step costs 8% on XGBoost's depth-8 trees; from the 8th, nothing there and +10% on LightGBM's).
 */
const EXIT_AFTER = 8;
/** A leaf's packed word in a lockstep table: negative like LEAF, feature 0, no default-left bit. */
const LANE_LEAF = -0x80000000;
