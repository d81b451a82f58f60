// The one validating builder through which every importer makes the IR: it checks tree
// structure (orphans, shared nodes, cycles, index ranges, leaf sizes) and lays trees out in preorder.

import { CompileError } from "../errors.ts";
import { checkPreprocess, modelWidth } from "./preprocess.ts";
import {
  NODE_CATEGORICAL,
  NODE_LEAF,
  NODE_NUMERIC,
  type CategorySet,
  type KernelModel,
  type LinearModel,
  type ModelIR,
  type Tree,
  type TreeEnsemble,
} from "./types.ts";

/** A tree as an importer reads it: node-indexed arrays in any order, root at `root`. */
export interface TreeInput {
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  defaultLeft: ArrayLike<number | boolean>;
  /** per node: MISSING_DEFAULT (default), MISSING_AS_ZERO or MISSING_ZERO */
  missingMode?: ArrayLike<number>;
  /** per node: true for a categorical split */
  categorical?: ArrayLike<number | boolean>;
  /** per categorical node: its category values */
  categoryValues?: (node: number) => ArrayLike<number> | undefined;
  /** leaf values by node: node n's leaf is values[n·leafSize … +leafSize) */
  leafValues: ArrayLike<number>;
  leafSize: number;
  output: number;
  /** linear leaves by node: node n's model when n is a leaf (LightGBM linear_tree) */
  linear?: (node: number) => { constant: number; features: ArrayLike<number>; coeffs: ArrayLike<number> };
  root?: number;
  /** how many nodes may be unreachable from the root (XGBoost's deleted nodes) */
  allowUnreachable?: number;
}

/** Names of the source fields, so errors point at the right JSON path. */
export interface TreeFieldNames {
  left: string;
  right: string;
  feature: string;
  threshold: string;
  leaf: string;
}

const DEFAULT_FIELDS: TreeFieldNames = {
  left: "left",
  right: "right",
  feature: "feature",
  threshold: "threshold",
  leaf: "leaf",
};

export type Header = Omit<ModelIR, "model">;
export type EnsembleOptions = Omit<TreeEnsemble, "kind" | "trees" | "categories">;

export class EnsembleBuilder {
  private readonly trees: Tree[] = [];
  private readonly categories: CategorySet[] = [];
  private readonly categoryIndex = new Map<string, number>();

  constructor(
    private readonly header: Header,
    private readonly options: EnsembleOptions,
    private readonly file?: string,
  ) {
    checkHeader(header, file);
    expectLength(options.base.length, header.nOutputs, "base scores", "$", file);
  }

  get treeCount(): number {
    return this.trees.length;
  }

  /** Validate and add one tree; `path` is the JSON path of the tree in the source file. */
  addTree(input: TreeInput, path: string, names: TreeFieldNames = DEFAULT_FIELDS): void {
    const fail = (msg: string, field?: string, node?: number): never => {
      const where = field === undefined ? path : `${path}.${field}${node === undefined ? "" : `[${node}]`}`;
      throw new CompileError("E_SHAPE", msg, { file: this.file, path: where });
    };
    const n = input.left.length;
    if (n === 0) fail("tree has no nodes (expected at least 1, got 0)");
    for (const [field, arr] of [
      [names.right, input.right],
      [names.feature, input.feature],
      [names.threshold, input.threshold],
      ["default_left", input.defaultLeft],
    ] as const) {
      if (arr.length !== n) fail(`expected ${n} entries, got ${arr.length}`, field);
    }
    const leafSize = input.leafSize;
    if (!Number.isInteger(leafSize) || leafSize < 1) fail(`leaf size must be a positive integer, got ${leafSize}`);
    if (input.leafValues.length !== n * leafSize)
      fail(`expected ${n * leafSize} leaf values (${n} nodes × ${leafSize}), got ${input.leafValues.length}`, names.leaf);
    const nOut = this.header.nOutputs;
    if (leafSize > 1) {
      if (leafSize !== nOut) fail(`vector leaves must have one value per output (expected ${nOut}, got ${leafSize})`);
      if (input.output !== 0) fail(`a vector-leaf tree feeds all outputs (expected output 0, got ${input.output})`);
    } else if (!Number.isInteger(input.output) || input.output < 0 || input.output >= nOut) {
      fail(`output slot out of range (expected 0..${nOut - 1}, got ${input.output})`);
    }

    const root = input.root ?? 0;
    if (!Number.isInteger(root) || root < 0 || root >= n) fail(`root out of range (expected 0..${n - 1}, got ${root})`);

    // Walk from the root with an explicit stack; every node must be reached exactly once. Each node
    // pushes its children at most once, so the stack never holds more than 2n + 1 entries.
    const { left: inLeft, right: inRight, feature: inFeature, threshold: inThreshold, leafValues: inLeaves, categorical, missingMode: inMissing } = input;
    const newId = new Int32Array(n).fill(-1);
    const order = new Int32Array(n);
    let reached = 0;
    const stack = new Int32Array(2 * n + 2);
    let top = 0;
    stack[top++] = root;
    const nFeatures = modelWidth(this.header);
    const f32 = this.options.thresholdType === "float32";
    const leafF32 = this.options.leafType === "float32";
    while (top > 0) {
      const id = stack[--top]!;
      if (newId[id] !== -1) fail(`node ${id} is reached twice (shared child or cycle)`, names.left, id);
      newId[id] = reached;
      order[reached++] = id;
      const l = inLeft[id]!;
      const r = inRight[id]!;
      if (l === -1 && r === -1) {
        for (let k = 0; k < leafSize; k++) {
          const v = inLeaves[id * leafSize + k]!;
          if (typeof v !== "number" || Number.isNaN(v)) fail(`leaf value is not a number (got ${v})`, names.leaf, id);
          if (leafF32 && Math.fround(v) !== v) fail(`leaf value ${v} is not a float32 value`, names.leaf, id);
        }
        continue;
      }
      if (!isIndex(l, n)) fail(`left child out of range (expected -1 or 0..${n - 1}, got ${l})`, names.left, id);
      if (!isIndex(r, n)) fail(`right child out of range (expected -1 or 0..${n - 1}, got ${r})`, names.right, id);
      const f = inFeature[id]!;
      if (!isIndex(f, nFeatures)) fail(`feature index out of range (expected 0..${nFeatures - 1}, got ${f})`, names.feature, id);
      if (!categorical?.[id]) {
        const t = inThreshold[id]!;
        if (typeof t !== "number" || Number.isNaN(t)) fail(`threshold is not a number (got ${t})`, names.threshold, id);
        if (f32 && Math.fround(t) !== t) fail(`threshold ${t} is not a float32 value`, names.threshold, id);
      }
      if (top + 2 > stack.length) fail("tree structure is inconsistent");
      stack[top++] = r;
      stack[top++] = l;
    }
    const allowed = input.allowUnreachable ?? 0;
    if (n - reached > allowed) {
      let orphan = 0;
      while (newId[orphan] !== -1) orphan++;
      fail(`node ${orphan} is not reachable from the root (expected ${n} reachable nodes, got ${reached})`, names.left, orphan);
    }

    // Preorder layout: left child of new node i is i + 1.
    const kind = new Uint8Array(reached);
    const feature = new Int32Array(reached);
    const threshold = new Float64Array(reached);
    const right = new Int32Array(reached);
    const defaultLeft = new Uint8Array(reached);
    const missingMode = new Uint8Array(reached);
    const catSet = new Int32Array(reached).fill(-1);
    const leafIndex = new Int32Array(reached).fill(-1);
    let nLeaves = 0;
    for (let i = 0; i < reached; i++) if (inLeft[order[i]!] === -1) nLeaves++;
    const leafValues = new Float64Array(nLeaves * leafSize);
    const inDefault = input.defaultLeft;
    let leaf = 0;
    for (let i = 0; i < reached; i++) {
      const id = order[i]!;
      if (inLeft[id] === -1) {
        kind[i] = NODE_LEAF;
        feature[i] = -1;
        right[i] = -1;
        leafIndex[i] = leaf;
        for (let k = 0; k < leafSize; k++) leafValues[leaf * leafSize + k] = inLeaves[id * leafSize + k]!;
        leaf++;
        continue;
      }
      if (newId[inLeft[id]!] !== i + 1) throw new Error("internal: preorder layout broken");
      feature[i] = inFeature[id]!;
      right[i] = newId[inRight[id]!]!;
      defaultLeft[i] = inDefault[id] ? 1 : 0;
      if (inMissing) {
        const m = inMissing[id]!;
        if (m !== 0 && m !== 1 && m !== 2) fail(`missing mode must be 0, 1 or 2, got ${m}`, "missing", id);
        missingMode[i] = m;
      }
      if (categorical?.[id]) {
        kind[i] = NODE_CATEGORICAL;
        const values = input.categoryValues?.(id);
        if (!values) fail("categorical split without categories", "categories", id);
        catSet[i] = this.internCategories(values!, (m) => fail(m, "categories", id));
      } else {
        kind[i] = NODE_NUMERIC;
        threshold[i] = inThreshold[id]!;
      }
    }
    let linear: Tree["linear"];
    if (input.linear) {
      if (leafSize !== 1) fail("linear leaves need scalar leaves");
      const constant = new Float64Array(nLeaves);
      const start = new Int32Array(nLeaves + 1);
      const feats: number[] = [];
      const coeffs: number[] = [];
      for (let i = 0; i < reached; i++) {
        const li = leafIndex[i]!;
        if (li < 0) continue;
        const m = input.linear(order[i]!);
        if (m.features.length !== m.coeffs.length) fail(`expected ${m.features.length} linear coefficients, got ${m.coeffs.length}`, "leaf_coeff", order[i]);
        if (Number.isNaN(m.constant)) fail("linear leaf constant is NaN", "leaf_const", order[i]);
        constant[li] = m.constant;
        start[li] = feats.length;
        for (let j = 0; j < m.features.length; j++) {
          const f = m.features[j]!;
          if (!isIndex(f, nFeatures)) fail(`linear leaf feature out of range (expected 0..${nFeatures - 1}, got ${f})`, "leaf_features", order[i]);
          if (Number.isNaN(m.coeffs[j]!)) fail("linear leaf coefficient is NaN", "leaf_coeff", order[i]);
          feats.push(f);
          coeffs.push(m.coeffs[j]!);
        }
        start[li + 1] = feats.length;
      }
      // leaves are numbered in preorder, so starts are filled in order
      linear = { constant, start, features: Int32Array.from(feats), coeffs: Float64Array.from(coeffs) };
    }
    this.trees.push({
      linear,
      nNodes: reached,
      kind,
      feature,
      threshold,
      right,
      defaultLeft,
      missingMode,
      catSet,
      leafIndex,
      nLeaves,
      leafValues,
      leafSize,
      output: input.output,
    });
  }

  private internCategories(values: ArrayLike<number>, fail: (msg: string) => never): number {
    const limit = this.options.categorical.categoryLimit;
    const sorted = Array.from(values).sort((a, b) => a - b);
    const distinct: number[] = [];
    for (const v of sorted) {
      if (!Number.isInteger(v) || v < 0 || v >= limit) fail(`category ${v} is not an integer in 0..${limit - 1}`);
      if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
    }
    const key = distinct.join(",");
    let idx = this.categoryIndex.get(key);
    if (idx === undefined) {
      idx = this.categories.length;
      this.categories.push({ values: Int32Array.from(distinct) });
      this.categoryIndex.set(key, idx);
    }
    return idx;
  }

  build(): ModelIR {
    if (this.trees.length === 0 && this.options.base.length === 0) throw new CompileError("E_SHAPE", "model has no trees and no outputs", { file: this.file });
    const ensemble: TreeEnsemble = {
      kind: "trees",
      ...this.options,
      trees: this.trees,
      categories: this.categories,
    };
    if (ensemble.divisor !== undefined && !(ensemble.divisor > 0))
      throw new CompileError("E_SHAPE", `divisor must be positive, got ${ensemble.divisor}`, { file: this.file });
    const agg = ensemble.aggregate;
    if (agg) {
      const bad = (msg: string): never => {
        throw new CompileError("E_SHAPE", `weighted median: ${msg}`, { file: this.file });
      };
      if (this.header.nOutputs !== 1) bad(`expected one output, got ${this.header.nOutputs}`);
      if (agg.weights.length !== this.trees.length) bad(`expected ${this.trees.length} weights (one per tree), got ${agg.weights.length}`);
      if (this.trees.length === 0) bad("expected at least one tree");
      if (this.trees.some((t) => t.leafSize !== 1 || t.output !== 0 || t.linear)) bad("every tree must have scalar leaves for output 0");
      if (ensemble.divisor !== undefined || ensemble.base[0] !== 0) bad("base must be 0 and there is no divisor");
      if (agg.weights.some((w) => !Number.isFinite(w))) bad("weights must be finite");
    }
    return { ...this.header, model: ensemble };
  }
}

/** Build a linear model after checking its shapes. */
export function buildLinear(header: Header, linear: Omit<LinearModel, "kind">, file?: string, path = "$"): ModelIR {
  checkHeader(header, file);
  expectLength(linear.weights.length, modelWidth(header) * header.nOutputs, "weights", path, file);
  expectLength(linear.bias.length, header.nOutputs, "bias values", path, file);
  for (let i = 0; i < linear.weights.length; i++) {
    const w = linear.weights[i]!;
    if (Number.isNaN(w)) throw new CompileError("E_SHAPE", `weight ${i} is NaN`, { file, path });
  }
  return { ...header, model: { kind: "linear", ...linear } };
}

/** Build a kernel model after checking its shapes (support vectors, coefficients, intercepts, outputs). */
export function buildKernel(header: Header, kernel: Omit<KernelModel, "kind">, file?: string, path = "$"): ModelIR {
  checkHeader(header, file);
  const fail = (msg: string): never => {
    throw new CompileError("E_SHAPE", msg, { file, path });
  };
  const W = modelWidth(header);
  const n = kernel.nSV;
  if (!Number.isInteger(n) || n < 0) fail(`number of support vectors must be a non-negative integer, got ${n}`);
  expectLength(kernel.vectors.length, n * W, "support vector values", path, file);
  if (!Number.isInteger(kernel.degree) || kernel.degree < 0) fail(`degree must be a non-negative integer, got ${kernel.degree}`);
  let nDec = 1;
  if (kernel.form === "ovo") {
    const K = kernel.counts.length;
    if (K < 2) fail(`expected at least 2 classes, got ${K}`);
    let total = 0;
    for (const c of kernel.counts) total += c;
    if (total !== n) fail(`expected class support-vector counts summing to ${n}, got ${total}`);
    expectLength(kernel.coef.length, (K - 1) * n, "coefficients ((classes - 1) × support vectors)", path, file);
    nDec = (K * (K - 1)) / 2;
  } else {
    expectLength(kernel.coef.length, n, "coefficients", path, file);
  }
  expectLength(kernel.intercept.length, nDec, "intercepts", path, file);
  const K = kernel.counts.length;
  const expectOut = { single: 1, pairs: nDec, negate: 1, ovr: K }[kernel.rawShape];
  if (header.nOutputs !== expectOut) fail(`raw shape ${kernel.rawShape} gives ${expectOut} outputs, the header says ${header.nOutputs}`);
  if ((kernel.rawShape === "single") !== (kernel.form === "single")) fail(`raw shape ${kernel.rawShape} does not fit form ${kernel.form}`);
  if (header.decision.kind === "vote" && kernel.form !== "ovo") fail("a vote decision needs one-vs-one decisions");
  for (const arr of [kernel.vectors, kernel.coef, kernel.intercept]) for (const v of arr) if (Number.isNaN(v)) fail("kernel model holds NaN");
  return { ...header, model: { kind: "kernel", ...kernel } };
}

export function checkHeader(h: Header, file?: string): void {
  const bad = (msg: string): never => {
    throw new CompileError("E_SHAPE", msg, { file, path: "$" });
  };
  if (!Number.isInteger(h.nFeatures) || h.nFeatures < 1 || h.nFeatures > 1 << 24) bad(`number of features must be in 1..${1 << 24}, got ${h.nFeatures}`);
  if (!Number.isInteger(h.nOutputs) || h.nOutputs < 1 || h.nOutputs > 1 << 16) bad(`number of outputs must be in 1..65536, got ${h.nOutputs}`);
  if (h.preprocess) {
    const msg = checkPreprocess(h.preprocess, h.nFeatures);
    if (msg) bad(`preprocessing: ${msg}`);
  }
  if (h.featureNames && h.featureNames.length !== h.nFeatures) bad(`expected ${h.nFeatures} feature names, got ${h.featureNames.length}`);
  if (h.featureTypes && h.featureTypes.length !== h.nFeatures) bad(`expected ${h.nFeatures} feature types, got ${h.featureTypes.length}`);
  if (h.decision.kind === "argmaxGroups") {
    const g = h.decision.groups;
    const total = g.reduce((a, b) => a + b, 0);
    if (g.some((n) => !Number.isInteger(n) || n < 1) || total !== h.nOutputs)
      bad(`output groups must be positive and sum to ${h.nOutputs}, got ${JSON.stringify(g)}`);
    if (!h.outputClasses || h.outputClasses.length !== g.length || h.outputClasses.some((c, i) => c.length !== g[i]))
      bad(`expected class labels for each of the ${g.length} output groups`);
  }
  const o = h.outlier;
  if (o) {
    if (h.nOutputs !== 1) bad(`an outlier detector has one output, got ${h.nOutputs}`);
    if (o.kind === "scoreMinusOffset" && h.transform !== "sk.iforest")
      bad(`score_samples before the offset needs the transform sk.iforest, got ${h.transform}`);
    if (o.kind === "decisionPlusOffset" && !Number.isFinite(o.offset)) bad(`the outlier offset must be finite, got ${o.offset}`);
  }
  if (h.classes && h.decision.kind !== "vote" && h.decision.kind !== "argmaxGroups") {
    const expected = h.task === "binary" ? 2 : h.nOutputs;
    if (h.classes.length !== expected) bad(`expected ${expected} class labels, got ${h.classes.length}`);
  }
}

function expectLength(got: number, expected: number, what: string, path: string, file?: string): void {
  if (got !== expected) throw new CompileError("E_SHAPE", `expected ${expected} ${what}, got ${got}`, { file, path });
}

function isIndex(v: unknown, n: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v < n;
}
