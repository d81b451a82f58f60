// XGBoost's softmax for multi:softprob (src/common/math.h `Softmax`): float32 values, double sum.
import { expf } from "./math/expf.ts";

/** out[i] = f32(expf(f32(raw[i] - max)) / f32(Σ in double)); max by fmaxf (NaN ignored). */
export function xgbSoftmax(raw: ArrayLike<number>, out: Float64Array, n: number): void {
  let wmax = raw[0]!;
  for (let i = 1; i < n; i++) {
    const v = raw[i]!;
    if (v > wmax || wmax !== wmax) wmax = v;
  }
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const e = expf(Math.fround(raw[i]! - wmax));
    out[i] = e;
    wsum += e;
  }
  const s = Math.fround(wsum);
  for (let i = 0; i < n; i++) out[i] = Math.fround(out[i]! / s);
}
