// libsvm's predict_probability (scikit-learn's bundled svm.cpp) from the K·(K-1)/2 pair decisions d of a one-vs-one
// model: r_ij = min(max(sigmoid_predict(d_p, A_p, B_p), 1e-7), 1 - 1e-7), r_ji = 1 - r_ij (pairs i < j in order),
// then multiclass_probability, Wu, Lin and Weng's pairwise coupling (method 2): a fixed-point iteration from 1/K
// until max_t |Qp_t - pQp| < 0.005/K or max(100, K) iterations. Every operation in libsvm's order, in double;
// sigmoid_predict: f = d·A + B, f >= 0 ? exp(-f) / (1 + exp(-f)) : 1 / (1 + exp(f)) (glibc exp).
import { exp } from "./math/exp.ts";

/** Class probabilities into out[o .. o+K) from the pair decisions d (libsvm order) and Platt's A, B per pair. */
export function libsvmProba(d: ArrayLike<number>, A: ArrayLike<number>, B: ArrayLike<number>, K: number, out: Float64Array, o: number): void {
  const r = new Float64Array(K * K);
  let k = 0;
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      const f = d[k]! * A[k]! + B[k]!;
      const s = f >= 0 ? exp(-f) / (1.0 + exp(-f)) : 1.0 / (1 + exp(f));
      // libsvm's min/max templates: (x < y) ? x : y, (x > y) ? x : y
      const lo = s > 1e-7 ? s : 1e-7;
      const v = lo < 1 - 1e-7 ? lo : 1 - 1e-7;
      r[i * K + j] = v;
      r[j * K + i] = 1 - v;
      k++;
    }
  }
  const Q = new Float64Array(K * K);
  const Qp = new Float64Array(K);
  const p = new Float64Array(K);
  for (let t = 0; t < K; t++) {
    p[t] = 1.0 / K;
    Q[t * K + t] = 0;
    for (let j = 0; j < t; j++) {
      Q[t * K + t] = Q[t * K + t]! + r[j * K + t]! * r[j * K + t]!;
      Q[t * K + j] = Q[j * K + t]!;
    }
    for (let j = t + 1; j < K; j++) {
      Q[t * K + t] = Q[t * K + t]! + r[j * K + t]! * r[j * K + t]!;
      Q[t * K + j] = -r[j * K + t]! * r[t * K + j]!;
    }
  }
  const maxIter = K > 100 ? K : 100;
  const eps = 0.005 / K;
  for (let iter = 0; iter < maxIter; iter++) {
    let pQp = 0;
    for (let t = 0; t < K; t++) {
      let q = 0;
      for (let j = 0; j < K; j++) q += Q[t * K + j]! * p[j]!;
      Qp[t] = q;
      pQp += p[t]! * q;
    }
    let maxError = 0;
    for (let t = 0; t < K; t++) {
      const e = Math.abs(Qp[t]! - pQp);
      if (e > maxError) maxError = e;
    }
    if (maxError < eps) break;
    for (let t = 0; t < K; t++) {
      const diff = (-Qp[t]! + pQp) / Q[t * K + t]!;
      p[t] = p[t]! + diff;
      pQp = (pQp + diff * (diff * Q[t * K + t]! + 2 * Qp[t]!)) / (1 + diff) / (1 + diff);
      for (let j = 0; j < K; j++) {
        Qp[j] = (Qp[j]! + diff * Q[t * K + j]!) / (1 + diff);
        p[j] = p[j]! / (1 + diff);
      }
    }
  }
  for (let t = 0; t < K; t++) out[o + t] = p[t]!;
}
