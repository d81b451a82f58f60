// scikit-learn's probability transforms as numpy computes them: utils/extmath.py softmax
// (max, subtract, np.exp, np.sum, divide) and linear_model/_base.py _predict_proba_lr (one-vs-rest:
// scipy expit per class, then divided by the row's np.sum). np.sum is numpy's pairwise summation
// (numpy/_core/src/umath/loops_utils.h.src pairwise_sum), which differs from a sequential sum from 8 terms on.
import { exp } from "./math/exp.ts";
import { log } from "./math/log.ts";

/** numpy's pairwise_sum of a[o .. o+n) (unrolled by 8 up to 128 terms, halves above), added to 0. */
export function skPairwiseSum(a: ArrayLike<number>, o: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[o + i]!;
    return res;
  }
  if (n <= 128) {
    let r0 = a[o]!, r1 = a[o + 1]!, r2 = a[o + 2]!, r3 = a[o + 3]!;
    let r4 = a[o + 4]!, r5 = a[o + 5]!, r6 = a[o + 6]!, r7 = a[o + 7]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      r0 += a[o + i]!; r1 += a[o + i + 1]!; r2 += a[o + i + 2]!; r3 += a[o + i + 3]!;
      r4 += a[o + i + 4]!; r5 += a[o + i + 5]!; r6 += a[o + i + 6]!; r7 += a[o + i + 7]!;
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[o + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return skPairwiseSum(a, o, n2) + skPairwiseSum(a, o + n2, n - n2);
}

/**
 * extmath.softmax: NaN-propagating max, x - max, exp, pairwise sum (from 0), divide. With form 2,
 * the gradient boosting form of scikit-learn < 1.4: exp(x - logsumexp(x)), scipy's logsumexp
 * being max + log(Σ exp(x - max)).
 */
export function skSoftmax(raw: ArrayLike<number>, out: Float64Array, n: number, form: number): void {
  let m = raw[0]!;
  for (let i = 1; i < n; i++) {
    const v = raw[i]!;
    if (v !== v || v > m) m = v;
    if (m !== m) break;
  }
  for (let i = 0; i < n; i++) out[i] = exp(raw[i]! - m);
  const s = 0 + skPairwiseSum(out, 0, n);
  if (form === 2) {
    const lse = log(s) + m;
    for (let i = 0; i < n; i++) out[i] = exp(raw[i]! - lse);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / s;
}

/**
 * Binary AdaBoostClassifier.predict_proba (ensemble/_weight_boosting.py _compute_proba_from_decision):
 * extmath.softmax of the row [-d / 2, d / 2], written to out[o], out[o + 1].
 */
export function skSoftmaxHalves(d: number, out: Float64Array, o: number): void {
  const a = -d / 2;
  const b = d / 2;
  let m = a;
  if (b !== b || b > m) m = b;
  const e0 = exp(a - m);
  const e1 = exp(b - m);
  const s = 0 + (0 + e0 + e1);
  out[o] = e0 / s;
  out[o + 1] = e1 / s;
}

/**
 * SGDClassifier(loss="modified_huber").predict_proba (linear_model/_stochastic_gradient.py): p =
 * (clip(d, -1, 1) + 1) / 2 per output; several outputs are divided by their pairwise row sum (a zero
 * sum gives uniform probabilities).
 */
export function skModifiedHuber(raw: ArrayLike<number>, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const d = raw[i]!;
    out[i] = ((d !== d ? d : d < -1 ? -1 : d > 1 ? 1 : d) + 1.0) / 2.0;
  }
  if (n === 1) return;
  let s = 0 + skPairwiseSum(out, 0, n);
  if (s === 0) {
    for (let i = 0; i < n; i++) out[i] = 1;
    s = n;
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / s;
}

/**
 * _predict_proba_lr for several classes: expit per class, divided by the row sum. With `uniformIfZero`
 * (scikit-learn >= 1.6) a row of zeros becomes uniform; before, it divides 0 by 0.
 */
export function skOvr(raw: ArrayLike<number>, out: Float64Array, n: number, uniformIfZero: number): void {
  for (let i = 0; i < n; i++) out[i] = 1 / (1 + exp(-raw[i]!));
  let s = 0 + skPairwiseSum(out, 0, n);
  if (s === 0 && uniformIfZero) {
    for (let i = 0; i < n; i++) out[i] = 1;
    s = n;
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / s;
}
