// AssemblyScript printer, `table` style: all nodes of all trees in one array of records in linear memory and one
// tight loop. The nodes come from the lowering (emitters/lower/nodeTable.ts, vector leaves not pooled: each
// vector-leaf tree's leaves stay one after the other). A record is {i32 fk, i32 right, value} (12 bytes with float32
// values, 16 with double ones): fk packs the feature, the default direction, the categorical and zero-band flags
// (emitters/lower/nodeFlags.ts) and is -1 at a leaf (-2: a linear leaf); right is the right child's byte offset (the
// left child is the next record); value is the threshold, the leaf value, a categorical node's set index, or a vector
// leaf's first index. One record per node keeps a node's fields in one cache line.
//
// Lockstep (trees with numeric splits, scalar leaves, no linear leaves or medians): LANES rows at a time go through a
// tree together, four per v128 (WebAssembly SIMD), for exactly the tree's depth in steps and without a data-dependent
// branch. Each step loads every lane's node fields and feature value into vectors (no gather: one lane load each),
// compares, and picks each lane's next node with a bitselect. A leaf is then fk = LANE_LEAF (feature 0, sign bit set)
// with right = itself and always goes right, so a row that reached its leaf stays there. The go-left rule is the
// scalar walk's: (v op t) | (NaN & default-left), so every row reaches the same leaf, and the sums are added in the
// same order (row by row, tree by tree). The root and its children are read once per tree and picked per lane
// (laneRoot, laneTwo). The rows left over (n mod LANES) take the scalar walk. Measured on XGBoost 1000 trees x depth
// 8 (bench/RESULTS-simd.md): 3.2x the scalar walk; 8 scalar lanes with selects gave 1.9x.

import { NODE_CATEGORICAL, NODE_LEAF, type TreeEnsemble } from "../../src/ir/types.ts";
import { baseScores } from "../lower/baseScores.ts";
import { treeDepths } from "../lower/treeDepths.ts";
import { categoryTables } from "../lower/categoryTables.ts";
import { CATEGORICAL, DEFAULT_LEFT, DEFAULT_LEFT_BIT, FEATURE_MASK, LEAF, ZERO_BAND } from "../lower/nodeFlags.ts";
import { nodeTable } from "../lower/nodeTable.ts";
import { numericTest } from "../lower/numericTest.ts";
import { numericCondition } from "../conditionSyntax.ts";
import { accAdd, asType, convert, medianAs, unsupported, type AsBody, type AsContext } from "./body.ts";
import { f64Lit, isF32, sizeOf, typedLit, typeOfValues, type AsType } from "./literals.ts";

/** Category bitsets (CW) and spans (CS: start, nWords per set) in the blob, and the condition printer for categorical nodes. */
export function categoryData(ctx: AsContext, ens: TreeEnsemble, runtime: Set<string>, code: string[]) {
  const cats = categoryTables(ens);
  if (ens.categories.length > 0) {
    runtime.add("common.as");
    code.push(ctx.data.u32("CW", cats.words));
    code.push(ctx.data.i32("CS", cats.spans.flat()));
  }
  const fixed = `${cats.memberLeft}, ${cats.invalidDefault}, ${cats.categoryLimit}, ${cats.truncateFirst}`;
  // nonIntegerInvalid: a fractional value becomes -1, which every rule treats as invalid (NaN stays NaN)
  const arg = (v: string) => (cats.nonIntegerInvalid ? `(${v} === Math.trunc(${v}) || ${v} !== ${v} ? ${v} : -1)` : v);
  return {
    /** condition for set index s with literal span */
    condition(v: string, s: number, defaultLeft: boolean): string {
      const [start, n] = cats.spans[s]!;
      return `catGoesLeft(${arg(v)}, CW, ${start}, ${n}, ${fixed}, ${defaultLeft})`;
    },
    /** condition with span and default as runtime expressions (table style) */
    dynamicCondition(v: string, start: string, n: string, defaultLeft: string): string {
      return `catGoesLeft(${arg(v)}, CW, ${start}, ${n}, ${fixed}, ${defaultLeft})`;
    },
  };
}

/** Each row's accumulators set to the base scores (rounded to the accumulator's type): rows of ACC at `a`. */
export function baseLines(ctx: AsContext, ens: TreeEnsemble, a: string): string[] {
  return baseScores(ens, ctx.ir.nOutputs).map((b, k) => `store<f64>(${a}, ${f64Lit(b)}, ${8 * k});`);
}

/** rawBlock_'s first lines: the base scores of every row of the block. */
export function blockStart(ctx: AsContext, ens: TreeEnsemble): string[] {
  return [
    `  for (let r = 0; r < n; r++) {`,
    `    const a = ACC + <usize>r * ${8 * ctx.ir.nOutputs};`,
    ...baseLines(ctx, ens, "a").map((l) => "    " + l),
    "  }",
  ];
}

/** rawBlock_'s last lines: averaging forests divide each slot once (then round to the accumulator's type). */
export function divisorLines(ctx: AsContext, ens: TreeEnsemble): string[] {
  if (ens.divisor === undefined) return [];
  const q = `load<f64>(ACC + (<usize>k << 3)) / ${f64Lit(ens.divisor)}`;
  return [`  for (let k = 0; k < n * ${ctx.ir.nOutputs}; k++) store<f64>(ACC + (<usize>k << 3), ${ens.accumulate === "float32" ? `<f64><f32>(${q})` : q});`];
}

export function emitTableAs(ctx: AsContext, ens: TreeEnsemble): AsBody {
  const { ir } = ctx;
  const runtime = new Set<string>();
  const code: string[] = [];
  const cats = categoryData(ctx, ens, runtime, code);
  const at = asType(ens.accumulate);

  // value type: float32 when every threshold and leaf value is exactly float32 and the sum is float32
  const vt: AsType = typeOfValues(
    (function* () {
      for (const t of ens.trees) {
        for (let n = 0; n < t.nNodes; n++) if (t.kind[n] !== NODE_LEAF && t.kind[n] !== NODE_CATEGORICAL) yield t.threshold[n]!;
        yield* t.leafValues;
      }
    })(),
    true, // float32 storage whenever it is exact; comparisons and sums widen as needed
  );
  const stride = vt === "f32" ? 12 : 16;
  let total = 0;
  for (const t of ens.trees) total += t.nNodes;
  if (total * stride >= 2 ** 31) throw unsupported(`${total} tree nodes in one module`);

  const table = nodeTable(ens, ir.nOutputs, { poolVectorLeaves: false });
  const { hasVector, hasZeroBand, hasCategorical: hasCat, linear: lin, fk, value } = table;
  const starts = Array.from(table.treeStart, (s) => s * stride);
  const outs = table.treeOutput;
  const lockstep = !hasCat && !hasZeroBand && !hasVector && lin.constants.length === 0 && !ens.aggregate;
  code.push(
    ctx.data.table("NODES", total * stride, 8, (dv, at0) => {
      for (let g = 0; g < total; g++) {
        const p = at0 + g * stride;
        const k = fk[g]!;
        // lockstep: a leaf is LANE_LEAF and its own right child (see the top of this file)
        const leaf = lockstep && k === LEAF;
        dv.setInt32(p, leaf ? LANE_LEAF : k, true);
        // a split's right child as a byte offset; at a leaf the vector offset or linear-leaf index (else 0)
        dv.setInt32(p + 4, leaf ? g * stride : k < 0 ? table.right[g]! : table.right[g]! * stride, true);
        if (k >= 0 && (k & CATEGORICAL) !== 0) dv.setInt32(p + 8, value[g]!, true);
        else if (vt === "f32") dv.setFloat32(p + 8, value[g]!, true);
        else dv.setFloat64(p + 8, value[g]!, true);
      }
    }),
  );
  code.push(ctx.data.i32("TS", starts));
  if (lockstep) code.push(ctx.data.i32("TD", treeDepths(table)));
  const multi = ir.nOutputs > 1 || hasVector;
  if (multi) code.push(ctx.data.i32("TO", outs));
  if (hasVector) code.push(ctx.data.float("LV", vt, table.leafVectors));
  const hasLinear = lin.constants.length > 0;
  if (hasLinear) {
    code.push(ctx.data.f64("LC", lin.constants), ctx.data.i32("LS", lin.starts), ctx.data.i32("LF", lin.features), ctx.data.f64("LK", lin.coeffs));
    code.push(
      [
        "function linLeaf(x: usize, p: usize): f64 {",
        "  const l = <usize>load<i32>(p, 4);",
        "  let out = load<f64>(LC + (l << 3));",
        "  const end = load<i32>(LS + ((l + 1) << 2));",
        "  for (let j = load<i32>(LS + (l << 2)); j < end; j++) {",
        `    const v = <f64>load<${ctx.xt}>(x + (<usize>load<i32>(LF + (<usize>j << 2)) << ${ctx.xt === "f32" ? 2 : 3}));`,
        `    if (v != v) return <f64>load<${vt}>(p, 8);`,
        "    out += load<f64>(LK + (<usize>j << 3)) * v;",
        "  }",
        "  return out;",
        "}",
      ].join("\n"),
    );
  }

  // comparison type: float32 only when the row, the thresholds and the zero band are all float32
  const ct: AsType = ctx.xt === "f32" && vt === "f32" && (!hasZeroBand || isF32(ens.zeroThreshold)) ? "f32" : "f64";
  const xs = sizeOf(ctx.xt);
  const right = "NODES + <usize>load<u32>(p, 4)";
  const walk = [
    "function walk(x: usize, p: usize): usize {",
    "  while (true) {",
    "    const fk = load<i32>(p);",
    "    if (fk < 0) return p;",
    `    const v = ${convert(`load<${ctx.xt}>(x + (<usize>(fk & ${FEATURE_MASK}) << ${xs === 4 ? 2 : 3}))`, ctx.xt, ct)};`,
  ];
  if (hasCat) {
    walk.push(
      `    if ((fk & ${CATEGORICAL}) != 0) {`,
      "      const s = CS + (<usize>load<i32>(p, 8) << 3);",
      `      p = ${cats.dynamicCondition(convert("v", ct, "f64"), "load<i32>(s)", "load<i32>(s, 4)", `(fk & ${DEFAULT_LEFT}) != 0`)} ? p + ${stride} : ${right};`,
      "      continue;",
      "    }",
    );
  }
  if (hasZeroBand) {
    const z = typedLit(ens.zeroThreshold, ct);
    walk.push(
      `    if ((fk & ${ZERO_BAND}) != 0 && !(v < -${z} || v > ${z})) {`,
      `      p = (fk & ${DEFAULT_LEFT}) != 0 ? p + ${stride} : ${right};`,
      "      continue;",
      "    }",
    );
  }
  // Default direction from the packed flag (bit DEFAULT_LEFT_BIT): NaN goes left only when the flag is set.
  const left = numericCondition(numericTest(ens, undefined, false), "v", "t");
  walk.push(
    `    const t = ${convert(`load<${vt}>(p, 8)`, vt, ct)};`,
    // branch-free: both children's addresses, then a select (a mispredicted branch per node costs more)
    `    const go = <i32>(${left}) | (<i32>(v != v) & (fk >>> ${DEFAULT_LEFT_BIT}) & 1);`,
    `    p = select<usize>(p + ${stride}, ${right}, go);`,
    "  }",
    "  return 0;",
    "}",
  );
  code.push(walk.join("\n"));

  const NO = ir.nOutputs;
  const leaf = hasLinear ? `(load<i32>(p) == -1 ? <f64>load<${vt}>(p, 8) : linLeaf(xr, p))` : `load<${vt}>(p, 8)`;
  const lt: AsType = hasLinear ? "f64" : vt;
  // tree by tree, each tree for every row of the block
  const raw = ["function rawBlock_(x: usize, n: i32, stride: usize): void {", ...blockStart(ctx, ens)];
  raw.push(
    `  for (let t = 0; t < ${ens.trees.length}; t++) {`,
    "    const root = NODES + <usize>load<i32>(TS + (<usize>t << 2));",
    ...(multi ? ["    const o = load<i32>(TO + (<usize>t << 2));"] : []),
    "    for (let r = 0; r < n; r++) {",
    "      const xr = x + <usize>r * stride;",
    "      const p = walk(xr, root);",
    `      const a = ACC + <usize>r * ${8 * NO};`,
  );
  if (lockstep) {
    const op = numericTest(ens, undefined, false).op;
    code.push(laneFunctions(ctx.xt, vt, ct, op, stride));
    const add = (p: string, row: string) => `{ const a = ACC + <usize>(${row}) * ${8 * NO}; ${accAdd(at, "a", multi ? "o" : 0, vt, `load<${vt}>(${p}, 8)`)} }`;
    const G = LANES / 4;
    const groups = Array.from({ length: G }, (_, j) => j);
    raw.splice(
      raw.indexOf("    for (let r = 0; r < n; r++) {"),
      1,
      "    const d = load<i32>(TD + (<usize>t << 2));",
      // the root's and its children's fields, for laneRoot and laneTwo (trees of depth 2 or more)
      `    let f0 = 0, fL = 0, fR = 0, t0: ${vt} = 0, tL: ${vt} = 0, tR: ${vt} = 0, L: usize = 0, R0: usize = 0, RL: usize = 0, RR: usize = 0;`,
      "    if (d >= 2) {",
      `      f0 = load<i32>(root); t0 = load<${vt}>(root, 8); R0 = NODES + <usize>load<u32>(root, 4);`,
      `      L = root + ${stride}; fL = load<i32>(L); tL = load<${vt}>(L, 8); RL = NODES + <usize>load<u32>(L, 4);`,
      `      fR = load<i32>(R0); tR = load<${vt}>(R0, 8); RR = NODES + <usize>load<u32>(R0, 4);`,
      "    }",
      "    let r = 0;",
      `    for (; r + ${LANES} <= n; r += ${LANES}) {`,
      ...groups.map((j) => `      const X${j} = i32x4.add(i32x4.splat(<i32>(x + <usize>(r + ${4 * j}) * stride)), S4);`),
      ...groups.map((j) => `      let P${j} = i32x4.splat(<i32>root);`),
      "      let i = 0;",
      "      if (d >= 2) {",
      ...groups.map((j) => `        P${j} = laneTwo(laneRoot(X${j}, f0, t0), X${j}, fL, fR, tL, tR, <i32>L, <i32>R0, <i32>RL, <i32>RR);`),
      "        i = 2;",
      "      }",
      "      for (; i < d; i++) {",
      ...groups.map((j) => `        P${j} = laneStep(P${j}, X${j});`),
      "      }",
      ...groups.flatMap((j) => [0, 1, 2, 3].map((l) => `      ${add(`<usize>i32x4.extract_lane(P${j}, ${l})`, `r + ${4 * j + l}`)}`)),
      "    }",
      "    for (; r < n; r++) {",
    );
    raw.splice(raw.indexOf(`  for (let t = 0; t < ${ens.trees.length}; t++) {`), 0, "  const s = <i32>stride;", "  const S4 = i32x4(0, s, 2 * s, 3 * s);");
  }
  const median = ens.aggregate ? medianAs(ctx, ens, runtime) : undefined;
  if (median) {
    code.push(...median.decls);
    raw.push(`      ${median.store("r", "t", lt, leaf)}`);
  } else if (!multi) raw.push(`      ${accAdd(at, "a", 0, lt, leaf)}`);
  else {
    if (hasVector) {
      const sh = vt === "f32" ? 2 : 3;
      raw.push(
        "      if (o < 0) {",
        `        const l = LV + (<usize>load<i32>(p, 4) << ${sh});`,
        `        for (let k = 0; k < ${NO}; k++) ${accAdd(at, "a", "k", vt, `load<${vt}>(l + (<usize>k << ${sh}))`)}`,
        "        continue;",
        "      }",
      );
    }
    raw.push(`      ${accAdd(at, "a", "o", lt, leaf)}`);
  }
  raw.push("    }", "  }");
  if (median) raw.push(...median.last);
  raw.push(...divisorLines(ctx, ens), "}");
  code.push(raw.join("\n"));
  return { code, runtime };
}

/** Rows of a lockstep walk (a multiple of 4: one v128 of node addresses per 4 rows). */
export const LANES = 16;
/** A leaf's packed word in a lockstep table: negative like LEAF, and its feature bits read feature 0. */
const LANE_LEAF = -0x80000000;

/**
 * The lockstep's step functions, each for four rows (row addresses X), in the scalar walk's comparison type ct (f64:
 * two f64x2 halves, their masks narrowed back to four i32 lanes):
 * - laneStep(P, X): from nodes P (byte addresses), each lane's node fields loaded one lane at a time;
 * - laneRoot(X, f, t): at the tree's root (its fields f, t as scalars), the lanes that go left;
 * - laneTwo(M, X, ...): at the root's children (lanes M at the left one, a, the others at b; their fields as scalars,
 *   picked per lane with bitselects instead of loaded).
 * Feature values come in one lane at a time (no gather).
 */
function laneFunctions(xt: AsType, vt: AsType, ct: AsType, op: "<" | "<=", stride: number): string {
  const lanes4 = (dst: string, addr: (l: number) => string, off: number) => [
    `  let ${dst} = v128.load32_zero(${addr(0)}, ${off});`,
    ...[1, 2, 3].map((l) => `  ${dst} = v128.load32_lane(${addr(l)}, ${dst}, ${l}, ${off});`),
  ];
  // two lanes (l0, l0 + 1) of type ty as an f64x2
  const lanes2 = (dst: string, ty: AsType, addr: (l: number) => string, l0: number, off: number) =>
    ty === "f64"
      ? [`  let ${dst} = v128.load64_zero(${addr(l0)}, ${off});`, `  ${dst} = v128.load64_lane(${addr(l0 + 1)}, ${dst}, 1, ${off});`]
      : [`  let ${dst} = v128.load32_zero(${addr(l0)}, ${off});`, `  ${dst} = f64x2.promote_low_f32x4(v128.load32_lane(${addr(l0 + 1)}, ${dst}, 1, ${off}));`];
  const p = (l: number) => `p${l}`;
  const a = (l: number) => `<usize>i32x4.extract_lane(A, ${l})`;
  const cmp = op === "<" ? "lt" : "le";
  const sh = xt === "f32" ? 2 : 3;
  // GO (v op t) and NAN as i32x4 masks, from the feature addresses A and the thresholds (loaded, or a vector expression)
  const compare = (t: { loaded: true } | { f32: string; f64lo: string; f64hi: string }) => {
    if (ct === "f32")
      return [
        ...lanes4("V", a, 0),
        ...("loaded" in t ? lanes4("T", p, 8) : [`  const T = ${t.f32};`]),
        `  const GO = f32x4.${cmp}(V, T);`,
        "  const NAN = f32x4.ne(V, V);",
      ];
    return [
      ...lanes2("V0", xt, a, 0, 0),
      ...lanes2("V1", xt, a, 2, 0),
      ...("loaded" in t ? [...lanes2("T0", vt, p, 0, 8), ...lanes2("T1", vt, p, 2, 8)] : [`  const T0 = ${t.f64lo};`, `  const T1 = ${t.f64hi};`]),
      `  const GO = v128.shuffle<i32>(f64x2.${cmp}(V0, T0), f64x2.${cmp}(V1, T1), 0, 2, 4, 6);`,
      "  const NAN = v128.shuffle<i32>(f64x2.ne(V0, V0), f64x2.ne(V1, V1), 0, 2, 4, 6);",
    ];
  };
  // the next nodes from FK, P and the right children R (absolute addresses): the default-left bit as a lane mask;
  // leaves (sign bit) never go left
  const next = [
    `  const DL = i32x4.shr_s(i32x4.shl(FK, ${31 - DEFAULT_LEFT_BIT}), 31);`,
    "  const LEFT = v128.andnot(v128.or(GO, v128.and(NAN, DL)), i32x4.shr_s(FK, 31));",
    `  return v128.bitselect(i32x4.add(P, i32x4.splat(${stride})), R, LEFT);`,
    "}",
  ];
  const A = `  const A = i32x4.add(X, i32x4.shl(v128.and(FK, i32x4.splat(${FEATURE_MASK})), ${sh}));`;
  const f64t = (e: string) => (vt === "f64" ? e : `<f64>${e}`);
  const step = [
    "@inline function laneStep(P: v128, X: v128): v128 {",
    ...[0, 1, 2, 3].map((l) => `  const p${l} = <usize>i32x4.extract_lane(P, ${l});`),
    ...lanes4("FK", p, 0),
    A,
    ...lanes4("RO", p, 4),
    "  const R = i32x4.add(RO, i32x4.splat(<i32>NODES));",
    ...compare({ loaded: true }),
    ...next,
  ];
  const pick = (ty: string, x: string, y: string, m = "M") => `v128.bitselect(${ty}.splat(${x}), ${ty}.splat(${y}), ${m})`;
  const two = [
    `@inline function laneTwo(M: v128, X: v128, fa: i32, fb: i32, ta: ${vt}, tb: ${vt}, pa: i32, pb: i32, ra: i32, rb: i32): v128 {`,
    `  const FK = ${pick("i32x4", "fa", "fb")};`,
    `  const P = ${pick("i32x4", "pa", "pb")};`,
    `  const R = ${pick("i32x4", "ra", "rb")};`,
    A,
    ...compare({
      f32: pick("f32x4", "ta", "tb"),
      f64lo: pick("f64x2", f64t("ta"), f64t("tb"), "i64x2.extend_low_i32x4_s(M)"),
      f64hi: pick("f64x2", f64t("ta"), f64t("tb"), "i64x2.extend_high_i32x4_s(M)"),
    }),
    ...next,
  ];
  const root = [
    `@inline function laneRoot(X: v128, f: i32, t: ${vt}): v128 {`,
    `  const A = i32x4.add(X, i32x4.splat((f & ${FEATURE_MASK}) << ${sh}));`,
    ...compare({ f32: "f32x4.splat(t)", f64lo: `f64x2.splat(${f64t("t")})`, f64hi: `f64x2.splat(${f64t("t")})` }),
    `  return v128.or(GO, v128.and(NAN, i32x4.splat(-((f >>> ${DEFAULT_LEFT_BIT}) & 1))));`,
    "}",
  ];
  return [...step, ...two, ...root].join("\n");
}
