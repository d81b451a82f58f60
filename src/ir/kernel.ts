// The meaning of the IR's kernel models (types.ts KernelModel), written once: the evaluator uses these
// functions and the emitter prints the same loops. libsvm: sklearn/svm/src/libsvm/svm.cpp k_function,
// predict_values; scikit-learn: sklearn/svm/_base.py decision_function, utils/multiclass.py
// _ovr_decision_function.

import { kernelPowi } from "../runtime/kernelPowi.ts";
import type { KernelModel } from "./types.ts";

/** K(x, sv_s) for every support vector. */
export function kernelValues(m: KernelModel, width: number, x: ArrayLike<number>, exp: (v: number) => number): Float64Array {
  const k = new Float64Array(m.nSV);
  for (let s = 0; s < m.nSV; s++) {
    const o = s * width;
    let sum = 0;
    if (m.kernel === "rbf") {
      for (let i = 0; i < width; i++) {
        const d = x[i]! - m.vectors[o + i]!;
        sum += d * d;
      }
      k[s] = exp(-m.gamma * sum);
      continue;
    }
    for (let i = 0; i < width; i++) sum += x[i]! * m.vectors[o + i]!;
    if (m.kernel === "linear") k[s] = sum;
    else if (m.kernel === "poly") k[s] = kernelPowi(m.gamma * sum + m.coef0, m.degree);
    else k[s] = Math.tanh(m.gamma * sum + m.coef0);
  }
  return k;
}

/** The decisions: one (single) or one per class pair (ovo). */
export function kernelDecisions(m: KernelModel, k: Float64Array): Float64Array {
  if (m.form === "single") {
    let sum = 0;
    for (let s = 0; s < m.nSV; s++) sum += m.coef[s]! * k[s]!;
    return Float64Array.of(sum + m.intercept[0]!);
  }
  const K = m.counts.length;
  const start = new Int32Array(K);
  for (let c = 1; c < K; c++) start[c] = start[c - 1]! + m.counts[c - 1]!;
  const out = new Float64Array((K * (K - 1)) / 2);
  let p = 0;
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      let sum = 0;
      for (let s = start[i]!; s < start[i]! + m.counts[i]!; s++) sum += m.coef[(j - 1) * m.nSV + s]! * k[s]!;
      for (let s = start[j]!; s < start[j]! + m.counts[j]!; s++) sum += m.coef[i * m.nSV + s]! * k[s]!;
      out[p] = sum + m.intercept[p]!;
      p++;
    }
  }
  return out;
}

/** Raw scores from the decisions, by rawShape, into R. */
export function kernelRaw(m: KernelModel, d: Float64Array, R: Float64Array): void {
  if (m.rawShape === "single" || m.rawShape === "pairs") {
    R.set(d);
    return;
  }
  if (m.rawShape === "negate") {
    R[0] = -d[0]!;
    return;
  }
  const K = m.counts.length;
  const conf = new Float64Array(K);
  const votes = new Float64Array(K);
  let p = 0;
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      const c = -d[p]!;
      conf[i] = conf[i]! - c;
      conf[j] = conf[j]! + c;
      if (d[p]! < 0) votes[j]!++;
      else votes[i]!++;
      p++;
    }
  }
  for (let c = 0; c < K; c++) R[c] = votes[c]! + conf[c]! / (3 * (Math.abs(conf[c]!) + 1));
}

/** libsvm's predicted class index: one-vs-one votes, first maximum. */
export function kernelVote(m: KernelModel, d: Float64Array): number {
  const K = m.counts.length;
  const vote = new Int32Array(K);
  let p = 0;
  for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) vote[d[p++]! > 0 ? i : j]!++;
  let best = 0;
  for (let c = 1; c < K; c++) if (vote[c]! > vote[best]!) best = c;
  return best;
}
