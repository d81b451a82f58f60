// The `table` style: every node of every tree in typed arrays (decoded once from base64) and one
// tight loop. Preorder layout makes the left child implicit (n + 1); a node packs its feature,
// default direction and categorical flag into one int32, and a leaf is marked by -1.

import { MISSING_ZERO, NODE_CATEGORICAL, NODE_LEAF, type LinearLeaves, type ModelIR, type TreeEnsemble } from "../../src/ir/types.ts";
import { modelWidth } from "../../src/ir/preprocess.ts";
import { numLit } from "../literals.ts";
import { accumulate, baseLines, medianCode, rowType, typedConst, type Body } from "./body.ts";
import { categoryTables, effectiveDefaultLeft, numericCondition } from "./conditions.ts";

const FEATURE_MASK = 0xffffff;
const DEFAULT_LEFT = 1 << 24;
const CATEGORICAL = 1 << 25;
const ZERO_BAND = 1 << 26;

export function emitTable(ir: ModelIR, ens: TreeEnsemble): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = rowType(ir);
  const cats = categoryTables(ens, runtime, code);

  let total = 0;
  for (const t of ens.trees) total += t.nNodes;
  const FK = new Int32Array(total);
  const V = ens.thresholdType === "float64" || ens.leafType === "float64" ? new Float64Array(total) : new Float32Array(total);
  const RIGHT = new Int32Array(total);
  const START = new Int32Array(ens.trees.length);
  const OUT = new Int32Array(ens.trees.length);
  // vector leaves, each distinct vector once (forests of deep trees repeat a few, e.g. pure leaves)
  const vectorLeaves = new VectorPool(ir.nOutputs);
  let hasVector = false;
  let hasScalar = false;
  let hasZeroBand = false;
  // linear leaves (LightGBM linear_tree): FK = -2, RC = index into LC/LS; LS/LF/LK hold the models
  const lin = new LinearLeafTables();
  let off = 0;
  ens.trees.forEach((tree, t) => {
    START[t] = off;
    OUT[t] = tree.leafSize > 1 ? -1 : tree.output;
    if (tree.leafSize > 1) hasVector = true;
    else hasScalar = true;
    for (let n = 0; n < tree.nNodes; n++) {
      const g = off + n;
      if (tree.kind[n] === NODE_LEAF) {
        FK[g] = -1;
        const li = tree.leafIndex[n]!;
        if (tree.leafSize === 1) V[g] = tree.leafValues[li]!;
        else RIGHT[g] = vectorLeaves.add(tree.leafValues, li * tree.leafSize);
        if (tree.linear) {
          FK[g] = -2;
          RIGHT[g] = lin.add(tree.linear, li);
        }
        continue;
      }
      const cat = tree.kind[n] === NODE_CATEGORICAL;
      const mode = tree.missingMode[n]!;
      const dl = cat ? tree.defaultLeft[n] === 1 : effectiveDefaultLeft(ens, mode, tree.defaultLeft[n] === 1, tree.threshold[n]!);
      if (!cat && mode === MISSING_ZERO) hasZeroBand = true;
      FK[g] = tree.feature[n]! | (dl ? DEFAULT_LEFT : 0) | (cat ? CATEGORICAL : 0) | (!cat && mode === MISSING_ZERO ? ZERO_BAND : 0);
      V[g] = tree.kind[n] === NODE_CATEGORICAL ? tree.catSet[n]! : tree.threshold[n]!;
      RIGHT[g] = off + tree.right[n]!;
    }
    off += tree.nNodes;
  });

  const vKind = V instanceof Float64Array ? "Float64Array" : "Float32Array";
  code.push(typedConst("FK", "Int32Array", FK, runtime));
  code.push(typedConst("TV", vKind, V, runtime));
  code.push(typedConst("RC", "Int32Array", RIGHT, runtime));
  code.push(typedConst("TS", "Int32Array", START, runtime));
  if (ir.nOutputs > 1 || hasVector) code.push(typedConst("TO", "Int32Array", OUT, runtime));
  if (hasVector) code.push(typedConst("LV", ens.leafType === "float32" ? "Float32Array" : "Float64Array", vectorLeaves.values(), runtime));
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
    const left = numericCondition(ens, "v", "t", false);
    walk.push("    const t = TV[n]!;", `    n = ${left} || (v !== v && (fk & ${DEFAULT_LEFT}) !== 0) ? n + 1 : RC[n]!;`, "  }", "}");
    code.push(walk.join("\n"));
  }

  const raw = [`function raw_(x: ${xt}, R: Float64Array): void {`, ...baseLines(ir, ens.base, ens.accumulate).map((l) => "  " + l)];
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
    raw.push(`  for (let k = 0; k < ${ir.nOutputs}; k++) R[k] = ${ens.accumulate === "float32" ? `Math.fround(R[k]! / ${numLit(ens.divisor)})` : `R[k]! / ${numLit(ens.divisor)}`};`);
  raw.push("}");
  code.push(raw.join("\n"));

  // Tree-major batches: each tree walked for every row of a block (its nodes stay in cache across the block's
  // rows), each row's slots at A[r * NO ..]. Per row the same additions in the same (tree) order as raw_.
  // Weighted-median ensembles keep row-by-row batches (raw_ and its per-tree values MV).
  if (median) return { code, runtime, rawFn: "raw_" };
  const NO = ir.nOutputs;
  const W = modelWidth(ir);
  const blk = [`function rawBlock_(x: ${xt}, nb: number, A: Float64Array): void {`, "  for (let r = 0; r < nb; r++) {", `    const a = r * ${NO};`];
  ens.base.slice(0, NO).forEach((b, k) => blk.push(`    A[a + ${k}] = ${numLit(ens.accumulate === "float32" ? Math.fround(b) : b)};`));
  blk.push("  }", `  for (let t = 0; t < ${ens.trees.length}; t++) {`, "    const s = TS[t]!;");
  const leafB = hasLinear ? "(FK[n] === -1 ? TV[n]! : linLeafB(x, r * " + W + ", n))" : "TV[n]!";
  const rowLoop = (stmts: string[]) => [`    for (let r = 0; r < nb; r++) {`, `      const n = walkB(x, r * ${W}, s);`, ...stmts.map((l) => "      " + l), "    }"];
  const scalarB = accumulate(ens.accumulate, ir.nOutputs > 1 || hasVector ? `A[r * ${NO} + o]` : "A[r]", leafB);
  if (hasVector) {
    blk.push("    const o = TO[t]!;", "    if (o < 0) {");
    blk.push(...rowLoop(["const l = RC[n]!;", `const a = r * ${NO};`, `for (let k = 0; k < ${NO}; k++) ${accumulate(ens.accumulate, "A[a + k]", "LV[l + k]!")}`]).map((l) => "  " + l));
    blk.push("      continue;", "    }");
    if (hasScalar) blk.push(...rowLoop([scalarB]));
  } else {
    if (ir.nOutputs > 1) blk.push("    const o = TO[t]!;");
    blk.push(...rowLoop([scalarB]));
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

/**
 * Distinct vectors of `width` doubles (bit patterns compared, so -0 and 0 stay apart), stored one
 * after the other; `add` gives the offset of the vector's first value. Open addressing over a hash
 * of the 32-bit words.
 */
class VectorPool {
  private data: Float64Array;
  private words: Uint32Array;
  private table = new Int32Array(1024).fill(-1);
  private count = 0;
  private readonly probe = new Float64Array(1);
  private readonly probeWords = new Uint32Array(this.probe.buffer);

  constructor(private readonly width: number) {
    this.data = new Float64Array(width * 256);
    this.words = new Uint32Array(this.data.buffer);
  }

  add(src: Float64Array, at: number): number {
    const w = this.width;
    let h = 0x811c9dc5;
    for (let k = 0; k < w; k++) {
      this.probe[0] = src[at + k]!;
      h = Math.imul(h ^ this.probeWords[0]!, 0x01000193);
      h = Math.imul(h ^ this.probeWords[1]!, 0x01000193);
    }
    const mask = this.table.length - 1;
    for (let slot = (h ^ (h >>> 15)) & mask; ; slot = (slot + 1) & mask) {
      const v = this.table[slot]!;
      if (v === -1) {
        if (this.count * w === this.data.length) this.grow();
        this.data.set(src.subarray(at, at + w), this.count * w);
        this.table[slot] = this.count++;
        if (this.count * 2 > this.table.length) this.rehash();
        return (this.count - 1) * w;
      }
      if (this.same(v, src, at)) return v * w;
    }
  }

  values(): Float64Array {
    return this.data.subarray(0, this.count * this.width);
  }

  private same(v: number, src: Float64Array, at: number): boolean {
    const w = this.width;
    for (let k = 0; k < w; k++) {
      this.probe[0] = src[at + k]!;
      if (this.words[2 * (v * w + k)] !== this.probeWords[0] || this.words[2 * (v * w + k) + 1] !== this.probeWords[1]) return false;
    }
    return true;
  }

  private grow(): void {
    const bigger = new Float64Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
    this.words = new Uint32Array(bigger.buffer);
  }

  private rehash(): void {
    const w = this.width;
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let v = 0; v < this.count; v++) {
      let h = 0x811c9dc5;
      for (let k = 0; k < 2 * w; k++) h = Math.imul(h ^ this.words[2 * v * w + k]!, 0x01000193);
      let slot = (h ^ (h >>> 15)) & mask;
      while (table[slot] !== -1) slot = (slot + 1) & mask;
      table[slot] = v;
    }
    this.table = table;
  }
}

/**
 * The linear leaves of a table-style module, gathered in node order: each leaf's constant (LC), its
 * coefficient range (LS: start offsets, one more than leaves), features (LF) and coefficients (LK).
 */
export class LinearLeafTables {
  readonly constants: number[] = [];
  readonly starts: number[] = [0];
  readonly features: number[] = [];
  readonly coeffs: number[] = [];

  /** Adds leaf `li` of a tree's linear leaves and returns its index in these tables. */
  add(lin: LinearLeaves, li: number): number {
    this.constants.push(lin.constant[li]!);
    for (let j = lin.start[li]!; j < lin.start[li + 1]!; j++) {
      this.features.push(lin.features[j]!);
      this.coeffs.push(lin.coeffs[j]!);
    }
    this.starts.push(this.features.length);
    return this.constants.length - 1;
  }
}
