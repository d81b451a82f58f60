// The IR's k-nearest-neighbours models (types.ts NeighborsModel): the validating builder, the evaluator's reading
// (through the same src/runtime/knn.ts the generated modules carry), and the parity helpers of `modelc diff`: which
// rows have neighbours chosen or ordered by distances within the library's rounding bound of each other.

import { CompileError } from "../errors.ts";
import { knnClassify, knnRegress, knnRowNorms, knnSearch } from "../runtime/knn.ts";
import { checkHeader, type Header } from "./builder.ts";
import { modelWidth } from "./preprocess.ts";
import type { ModelIR, NeighborsModel } from "./types.ts";

export const KNN_METRIC_CODE = { euclideanGemm: 0, euclidean: 1, manhattan: 2 } as const;

/** Build a neighbors model after checking its shapes. */
export function buildNeighbors(header: Header, m: Omit<NeighborsModel, "kind">, file?: string, path = "$"): ModelIR {
  checkHeader(header, file);
  const fail = (msg: string): never => {
    throw new CompileError("E_SHAPE", msg, { file, path });
  };
  const W = modelWidth(header);
  const n = m.nSamples;
  if (!Number.isInteger(n) || n < 1) fail(`number of training samples must be a positive integer, got ${n}`);
  if (m.X.length !== n * W) fail(`expected ${n * W} training values (${n} samples × ${W} features), got ${m.X.length}`);
  if (!(m.emptyDistance > 0)) fail(`the heap's empty distance must be positive, got ${m.emptyDistance}`);
  if (!Number.isInteger(m.k) || m.k < 1 || m.k > n) fail(`n_neighbors must be an integer in 1..${n} (the training samples), got ${m.k}`);
  for (const v of m.X) if (!Number.isFinite(v)) fail("the training set holds NaN or an infinity");
  if ((m.labels === undefined) === (m.targets === undefined)) fail("a neighbors model has either class labels or regression targets");
  if (m.labels) {
    if (m.labels.length !== n) fail(`expected ${n} training labels, got ${m.labels.length}`);
    for (const c of m.labels) if (!(c >= 0 && c < header.nOutputs)) fail(`training label index ${c} is not in 0..${header.nOutputs - 1}`);
    if (header.decision.kind !== "vote") fail("a neighbors classifier decides by its vote");
    if (header.proba.kind !== "vector") fail("a neighbors classifier's outputs are its probabilities");
  }
  if (m.targets) {
    if (m.targets.length !== n * header.nOutputs) fail(`expected ${n * header.nOutputs} training targets, got ${m.targets.length}`);
    if (header.decision.kind !== "value") fail("a neighbors regressor predicts its outputs");
  }
  if (header.transform !== "identity") fail(`a neighbors model has no transform, got ${header.transform}`);
  return { ...header, model: { kind: "neighbors", ...m } };
}

const norms = new WeakMap<NeighborsModel, Float64Array>();

/** ‖y‖² of every training row as the euclideanGemm metric needs them (cached per model). */
export function knnNorms(m: NeighborsModel, W: number): Float64Array {
  let N = norms.get(m);
  if (!N) {
    N = new Float64Array(m.metric === "euclideanGemm" ? m.nSamples : 0);
    if (m.metric === "euclideanGemm") knnRowNorms(m.X, m.nSamples, W, N);
    norms.set(m, N);
  }
  return N;
}

export interface KnnResult {
  /** distances of the k neighbours, ascending */
  D: Float64Array;
  /** their training indices */
  I: Int32Array;
  /** probabilities (classifier) or predictions (regressor) */
  out: Float64Array;
  /** predicted class index (classifier) */
  cls: number;
}

/** The model on one cast row. */
export function knnEvaluate(ir: ModelIR, m: NeighborsModel, x: ArrayLike<number>): KnnResult {
  const W = modelWidth(ir);
  const k = m.k;
  const D = new Float64Array(k);
  const I = new Int32Array(k);
  const merge = m.strategy === "parallelOnY" ? 1 : 0;
  const sort = m.sort === "quicksort" ? 1 : 0;
  knnSearch(
    m.X,
    knnNorms(m, W),
    m.nSamples,
    W,
    x,
    0,
    KNN_METRIC_CODE[m.metric],
    k,
    sort,
    merge,
    m.emptyDistance,
    D,
    I,
    new Float64Array(k),
    new Int32Array(k),
    new Int32Array(3 * (k + 1)),
  );
  const out = new Float64Array(ir.nOutputs);
  const T = new Float64Array(k);
  const U = new Float64Array(k);
  const w = m.weights === "distance" ? 1 : 0;
  let cls = 0;
  if (m.labels) cls = knnClassify(D, I, k, m.labels, ir.nOutputs, w, out, 0, T, U);
  else knnRegress(D, I, k, m.targets!, ir.nOutputs, w, out, 0, T, U);
  return { D, I, out, cls };
}

const EPS = 2.220446049250313e-16;

/**
 * Squared distance of row x to every training row, and the rounding bound of each: for euclideanGemm the error of
 * BLAS dot products summed in an unknown order, (W + 2)·eps·(‖x‖² + ‖y‖² + 2·Σ|xᵢyᵢ|); 0 for the sequential metrics.
 */
function distancesWithBounds(m: NeighborsModel, W: number, x: ArrayLike<number>): { s: Float64Array; e: Float64Array } {
  const n = m.nSamples;
  const s = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sq = 0;
    let mag = 0;
    for (let i = 0; i < W; i++) {
      const a = x[i]!;
      const b = m.X[j * W + i]!;
      if (m.metric === "manhattan") sq += Math.abs(a - b);
      else sq += (a - b) * (a - b);
      mag += a * a + b * b + 2 * Math.abs(a * b);
    }
    s[j] = sq;
    e[j] = m.metric === "euclideanGemm" ? (W + 2) * EPS * mag : 0;
  }
  return { s, e };
}

/**
 * Whether the library's answer for this (cast) row may rest on a tie. Which rows are the k nearest: a training row
 * outside them whose (squared) distance is within the rounding bound of the k-th one's, or exactly equal to it where
 * the library's tie-breaking is not reproduced (kd_tree and ball_tree traversal; brute force over more than one chunk
 * of 256 training rows, split between threads). Their order, where it changes the outputs (regressors; the
 * pairwise sums of weighted_mode from 8 distance-weighted neighbours): two consecutive neighbours with different
 * targets or labels within the bound, or exactly tied (scikit-learn's strategy, hence the batch size, orders exact
 * ties). An exact match under distance weights: a neighbour within the bound of 0.
 */
export function knnTieRow(ir: ModelIR, m: NeighborsModel, x: ArrayLike<number>): boolean {
  const W = modelWidth(ir);
  const { s, e } = distancesWithBounds(m, W, x);
  const order = Array.from(s.keys()).sort((a, b) => s[a]! - s[b]! || a - b);
  const exactSetTies = m.algorithm !== "brute" || m.nSamples > 256;
  const close = (a: number, b: number, exact: boolean) => (s[a] === s[b] ? exact : Math.abs(s[a]! - s[b]!) < e[a]! + e[b]!);
  const k = m.k;
  if (k < order.length && close(order[k - 1]!, order[k]!, exactSetTies)) return true;
  const orderMatters = m.targets !== undefined || (m.weights === "distance" && k >= 8);
  if (orderMatters) for (let i = 0; i + 1 < k; i++) if (close(order[i]!, order[i + 1]!, true) && differ(m, ir.nOutputs, order[i]!, order[i + 1]!)) return true;
  if (m.weights === "distance") for (let i = 0; i < k; i++) if (s[order[i]!]! <= e[order[i]!]! && s[order[i]!]! !== 0) return true;
  return false;
}

function differ(m: NeighborsModel, G: number, a: number, b: number): boolean {
  if (m.labels) return m.labels[a] !== m.labels[b];
  for (let g = 0; g < G; g++) if (m.targets![a * G + g] !== m.targets![b * G + g]) return true;
  return false;
}

/**
 * Bound of an output's difference from the library's when the neighbours agree, for euclideanGemm with distance
 * weights: each weight 1/d is off by up to the relative error of d (half that of d²), the normalized sums by twice
 * the largest, times the largest |target| (1 for probabilities), doubled for safety. 0 otherwise.
 */
export function knnOutputBound(ir: ModelIR, m: NeighborsModel, x: ArrayLike<number>): number {
  if (m.metric !== "euclideanGemm" || m.weights !== "distance") return 0;
  const W = modelWidth(ir);
  const { s, e } = distancesWithBounds(m, W, x);
  const { I } = knnEvaluate(ir, m, x);
  let rel = 0;
  let ymax = 1;
  for (const j of I) {
    if (s[j]! > 0) rel = Math.max(rel, e[j]! / (2 * s[j]!));
    if (m.targets) for (let g = 0; g < ir.nOutputs; g++) ymax = Math.max(ymax, Math.abs(m.targets[j * ir.nOutputs + g]!));
  }
  return 4 * rel * ymax;
}
