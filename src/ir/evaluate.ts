// The reference evaluator of the IR: a plain, direct reading of every rule, the oracle that
// every emitter is tested against. Clarity over speed.

import { argmax } from "../runtime/argmax.ts";
import { exp } from "../runtime/math/exp.ts";
import { compositeRaw } from "./composite.ts";
import { kernelDecisions, kernelRaw, kernelValues, kernelVote } from "./kernel.ts";
import { mlpRaw } from "./mlp.ts";
import { knnEvaluate } from "./neighbors.ts";
import { modelWidth, runPreprocess } from "./preprocess.ts";
import { applyTransform } from "./transforms.ts";
import { skSoftmaxHalves } from "../runtime/skSoftmax.ts";
import { libsvmProba } from "../runtime/libsvmProba.ts";
import {
  NODE_CATEGORICAL,
  NODE_LEAF,
  MISSING_DEFAULT,
  MISSING_ZERO,
  type LinearModel,
  type ModelIR,
  type NumberType,
  type Tree,
  type TreeEnsemble,
} from "./types.ts";

const round = (t: NumberType, v: number): number => (t === "float32" ? Math.fround(v) : v);

/** The input row after the model's cast. */
export function castRow(ir: ModelIR, row: ArrayLike<number>): Float64Array {
  const x = ir.preprocess ? runPreprocess(ir.preprocess, ir.nFeatures, row) : row;
  const w = modelWidth(ir);
  const out = new Float64Array(w);
  const z = ir.inputZeroSnap;
  for (let i = 0; i < w; i++) {
    let v = round(ir.inputCast, x[i]!);
    if (z !== undefined && Math.abs(v) <= z) v = 0;
    out[i] = v;
  }
  return out;
}

/** Index of the leaf node reached by a (cast) row. No recursion: a loop down the tree. */
export function findLeaf(ens: TreeEnsemble, tree: Tree, x: ArrayLike<number>): number {
  let n = 0;
  while (tree.kind[n] !== NODE_LEAF) {
    n = goesLeft(ens, tree, n, x[tree.feature[n]!]!) ? n + 1 : tree.right[n]!;
  }
  return n;
}

function goesLeft(ens: TreeEnsemble, tree: Tree, n: number, v: number): boolean {
  const defaultLeft = tree.defaultLeft[n] === 1;
  if (tree.kind[n] === NODE_CATEGORICAL) {
    if (Number.isNaN(v)) return defaultLeft;
    const rule = ens.categorical;
    const memberLeft = rule.memberGoes === "left";
    const c = Math.trunc(v);
    const r = rule.truncateFirst ? c : v;
    if (!(r >= 0 && r < rule.categoryLimit) || (rule.nonIntegerInvalid === true && c !== v)) return rule.invalidGoes === "default" ? defaultLeft : !memberLeft;
    const isMember = ens.categories[tree.catSet[n]!]!.values.includes(c);
    return isMember === memberLeft;
  }
  const mode = tree.missingMode[n];
  if (Number.isNaN(v)) {
    if (mode === MISSING_DEFAULT) return defaultLeft;
    v = 0;
  }
  if (mode === MISSING_ZERO && Math.abs(v) <= ens.zeroThreshold) return defaultLeft;
  const t = tree.threshold[n]!;
  return ens.compare === "<" ? v < t : v <= t;
}

function rawTrees(ir: ModelIR, ens: TreeEnsemble, x: Float64Array): Float64Array {
  if (ens.aggregate) {
    // a plain reading (the emitters use src/runtime/weightedMedian.ts's merge sort): order by (value, tree)
    const w = ens.aggregate.weights;
    const v = ens.trees.map((tree) => tree.leafValues[tree.leafIndex[findLeaf(ens, tree, x)]!]!);
    const order = v.map((_, i) => i).sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
    const cdf: number[] = [];
    for (const i of order) cdf.push(cdf.length === 0 ? w[i]! : cdf[cdf.length - 1]! + w[i]!);
    const half = 0.5 * cdf[cdf.length - 1]!;
    const k = cdf.findIndex((c) => c >= half);
    return Float64Array.of(v[order[k < 0 ? 0 : k]!]!);
  }
  const acc = new Float64Array(ir.nOutputs);
  for (let k = 0; k < ir.nOutputs; k++) acc[k] = round(ens.accumulate, ens.base[k]!);
  for (const tree of ens.trees) {
    const leaf = tree.leafIndex[findLeaf(ens, tree, x)]!;
    if (tree.linear) {
      acc[tree.output] = round(ens.accumulate, acc[tree.output]! + linearLeafValue(tree, leaf, x));
      continue;
    }
    for (let k = 0; k < tree.leafSize; k++) {
      const slot = tree.output + k;
      acc[slot] = round(ens.accumulate, acc[slot]! + tree.leafValues[leaf * tree.leafSize + k]!);
    }
  }
  if (ens.divisor !== undefined) for (let k = 0; k < ir.nOutputs; k++) acc[k] = round(ens.accumulate, acc[k]! / ens.divisor);
  return acc;
}

/** A linear leaf: const + Σ coeff·x in order, or the plain leaf value if a used feature is NaN. */
export function linearLeafValue(tree: Tree, leaf: number, x: ArrayLike<number>): number {
  const lin = tree.linear!;
  let out = lin.constant[leaf]!;
  for (let j = lin.start[leaf]!; j < lin.start[leaf + 1]!; j++) {
    const v = x[lin.features[j]!]!;
    if (Number.isNaN(v)) return tree.leafValues[leaf]!;
    out += lin.coeffs[j]! * v;
  }
  return out;
}

function rawLinear(ir: ModelIR, lin: LinearModel, x: Float64Array): Float64Array {
  const G = ir.nOutputs;
  const acc = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    let s = round(lin.accumulate, lin.bias[g]!);
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (Number.isNaN(v) && lin.missing === "skip") continue;
      s = round(lin.accumulate, s + round(lin.accumulate, v * lin.weights[i * G + g]!));
    }
    acc[g] = s;
  }
  return acc;
}

/** Raw scores (margins) for one row. */
export function evaluateRaw(ir: ModelIR, row: ArrayLike<number>): Float64Array {
  const x = castRow(ir, row);
  if (ir.model.kind === "composite") return compositeRaw(ir.model, ir.nOutputs, x, { predict: evaluatePredict, proba: evaluateProba, raw: evaluatePredictRaw });
  if (ir.model.kind === "kernel") {
    const R = new Float64Array(ir.nOutputs);
    kernelRaw(ir.model, kernelDecisions(ir.model, kernelValues(ir.model, x.length, x, exp)), R);
    return R;
  }
  if (ir.model.kind === "mlp") return mlpRaw(ir.model, x);
  if (ir.model.kind === "neighbors") return knnEvaluate(ir, ir.model, x).out;
  return ir.model.kind === "trees" ? rawTrees(ir, ir.model, x) : rawLinear(ir, ir.model, x);
}

/** The transformed output (probabilities for classifiers, predictions for regressors). */
export function evaluateOutput(ir: ModelIR, row: ArrayLike<number>): Float64Array {
  const raw = evaluateRaw(ir, row);
  if (ir.outputDivisor !== undefined) for (let k = 0; k < ir.nOutputs; k++) raw[k] = raw[k]! / ir.outputDivisor;
  const out = new Float64Array(ir.nOutputs);
  applyTransform(ir.transform, raw, out, ir.nOutputs, ir.transformArg);
  return out;
}

/**
 * What predictRaw returns for one row: the raw scores, or for an outlier detector (ir.outlier) the library's
 * decision_function.
 */
export function evaluatePredictRaw(ir: ModelIR, row: ArrayLike<number>): Float64Array {
  const o = ir.outlier;
  if (!o) return evaluateRaw(ir, row);
  return o.kind === "scoreMinusOffset" ? evaluateOutput(ir, row) : evaluateRaw(ir, row);
}

/** scoreSamples (the library's score_samples) of an outlier detector, or undefined for other models. */
export function evaluateScoreSamples(ir: ModelIR, row: ArrayLike<number>): number | undefined {
  const o = ir.outlier;
  if (!o) return undefined;
  if (o.kind === "decisionPlusOffset") return evaluateRaw(ir, row)[0]! + o.offset;
  // the transform without its final subtraction of offset_ (transformArg 0)
  const raw = evaluateRaw(ir, row);
  if (ir.outputDivisor !== undefined) raw[0] = raw[0]! / ir.outputDivisor;
  const out = new Float64Array(1);
  applyTransform(ir.transform, raw, out, 1, 0);
  return out[0]!;
}

/** predictProba, or undefined when the model has none. */
export function evaluateProba(ir: ModelIR, row: ArrayLike<number>): Float64Array | undefined {
  if (ir.proba.kind === "none") return undefined;
  if (ir.proba.kind === "libsvm") {
    const m = ir.model;
    if (m.kind !== "kernel" || m.form !== "ovo") throw new Error("libsvm probabilities need a one-vs-one kernel model");
    const K = m.counts.length;
    const p = new Float64Array(K);
    libsvmProba(kernelDecisions(m, kernelValues(m, modelWidth(ir), castRow(ir, row), exp)), ir.proba.probA, ir.proba.probB, K, p, 0);
    return p;
  }
  const out = evaluateOutput(ir, row);
  if (ir.proba.kind === "vector") return out;
  if (ir.proba.kind === "softmaxHalves") {
    const p = new Float64Array(2);
    skSoftmaxHalves(out[0]!, p, 0);
    return p;
  }
  const p = out[0]!;
  return Float64Array.of(round(ir.proba.numberType, 1 - p), p);
}

/** predict: class label for classifiers, value(s) for regressors. */
export function evaluatePredict(ir: ModelIR, row: ArrayLike<number>): number | string | Float64Array {
  const d = ir.decision;
  if (d.kind === "value") {
    const out = evaluateOutput(ir, row);
    return ir.nOutputs === 1 ? out[0]! : out;
  }
  if (d.kind === "argmaxGroups") {
    const v = d.on === "raw" ? evaluateRaw(ir, row) : evaluateOutput(ir, row);
    const out = new Float64Array(d.groups.length);
    let o = 0;
    d.groups.forEach((n, g) => {
      out[g] = ir.outputClasses![g]![argmax(v.subarray(o, o + n), n)]!;
      o += n;
    });
    return out;
  }
  if (d.kind === "vote" && ir.model.kind === "neighbors") {
    const cls = knnEvaluate(ir, ir.model, castRow(ir, row)).cls;
    return ir.classes ? ir.classes[cls]! : cls;
  }
  if (d.kind === "vote") {
    if (ir.model.kind !== "kernel") throw new Error("vote decision needs a kernel model");
    const m = ir.model;
    const cls = kernelVote(m, kernelDecisions(m, kernelValues(m, modelWidth(ir), castRow(ir, row), exp)));
    return ir.classes ? ir.classes[cls]! : cls;
  }
  const v = d.on === "raw" ? evaluateRaw(ir, row) : evaluateOutput(ir, row);
  let cls: number;
  if (d.kind === "threshold") cls = (d.op === ">" ? v[0]! > d.value : v[0]! >= d.value) ? 1 : 0;
  else cls = argmax(v, ir.nOutputs);
  return ir.classes ? ir.classes[cls]! : cls;
}
