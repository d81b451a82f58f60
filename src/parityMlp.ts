// The parity bound of a multi-layer perceptron (ModelIR.parity dotProduct on an "mlp" model): scikit-learn's layers
// are BLAS products (safe_sparse_dot), summed in a CPU-kernel order, so each unit's pre-activation may differ from
// modelc's sequential sum. The bound follows the row through the network, first order, per unit:
//   δz_j = Σ_i |W_ij|·δa_i + 2(n + 1)·eps·(Σ_i |a_i·W_ij| + |b_j|)      (n = the layer's inputs; δa = 0 at the input)
//   δa_j = min(L·δz_j, range) + 8·eps·|a_j|       (L: 1 for identity, relu, tanh, 1/4 for logistic; range 2 for tanh, 1 for logistic)
// then through the output activation (identity, exp: e^z·(e^δz - 1); expit: δz/4; softmax: δz/2, its ∞-norm
// Lipschitz constant), doubled for safety; rowAbs is the worst output's bound (relative above 1 in magnitude, as the
// comparison makes it). The 8·eps·|a| term covers numpy's SIMD tanh (≤ 3 ulps from fdlibm here) and one rounding.

import { modelWidth, runPreprocess } from "./ir/preprocess.ts";
import { mlpActivate, mlpLayer } from "./ir/mlp.ts";
import type { MlpModel, ModelIR } from "./ir/types.ts";

const EPS = 2.220446049250313e-16;

export function mlpBound(ir: ModelIR, m: MlpModel): (row: ArrayLike<number>) => number {
  const W = modelWidth(ir);
  const pre = ir.preprocess;
  const lip = m.hidden === "logistic" ? 0.25 : 1;
  // tanh and logistic are bounded: their values differ by at most their range, whatever the inputs' difference
  const range = m.hidden === "logistic" ? 1 : m.hidden === "tanh" ? 2 : Number.POSITIVE_INFINITY;
  return (input) => {
    let a: ArrayLike<number> = pre ? runPreprocess(pre, ir.nFeatures, input) : Array.from(input).slice(0, W);
    let da = new Float64Array(W);
    let z = new Float64Array(0);
    let dz = new Float64Array(0);
    m.layers.forEach((L, l) => {
      z = new Float64Array(L.nOut);
      dz = new Float64Array(L.nOut);
      mlpLayer(L.weights, L.bias, L.nIn, L.nOut, a, z);
      for (let j = 0; j < L.nOut; j++) {
        let prop = 0;
        let mag = Math.abs(L.bias[j]!);
        for (let i = 0; i < L.nIn; i++) {
          const w = Math.abs(L.weights[i * L.nOut + j]!);
          if (w === 0) continue; // a zero weight passes nothing on (not even an infinite input's error)
          prop += w * da[i]!;
          mag += Math.abs(a[i]!) * w;
        }
        dz[j] = prop + 2 * (L.nIn + 1) * EPS * mag;
      }
      if (l === m.layers.length - 1) return;
      const next = new Float64Array(L.nOut);
      for (let j = 0; j < L.nOut; j++) {
        z[j] = mlpActivate(m.hidden, z[j]!);
        next[j] = Math.min(lip * dz[j]!, range) + 8 * EPS * Math.abs(z[j]!);
      }
      a = z;
      da = next;
    });
    let worst = 0;
    for (let k = 0; k < z.length; k++) {
      // each output's bound relative to max(1, |output|), as the comparison scales it
      let rel: number;
      if (ir.transform === "lgb.exp")
        rel = Math.min(Math.exp(z[k]!), 1) * Math.expm1(dz[k]!); // e^z·(e^δz - 1) / max(1, e^z)
      else if (ir.transform === "lgb.sigmoid") rel = dz[k]! / 4;
      else if (ir.transform === "sk.softmax") rel = Math.max(...dz) / 2;
      else rel = dz[k]! / Math.max(1, Math.abs(z[k]!));
      // the raw scores (the last layer's pre-activation) are compared too
      worst = Math.max(worst, rel, dz[k]! / Math.max(1, Math.abs(z[k]!)));
    }
    return 2 * worst;
  };
}
