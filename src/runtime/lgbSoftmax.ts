// LightGBM's softmax in double (include/LightGBM/utils/common.h Softmax): max by std::max,
// exp(x - max) with glibc exp, sequential sum, then division.
import { exp } from "./math/exp.ts";

export function lgbSoftmax(raw: ArrayLike<number>, out: Float64Array, n: number): void {
  let wmax = raw[0]!;
  for (let i = 1; i < n; i++) {
    const v = raw[i]!;
    // std::max(v, wmax) returns wmax when v < wmax, else v
    wmax = v < wmax ? wmax : v;
  }
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const e = exp(raw[i]! - wmax);
    out[i] = e;
    wsum += e;
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / wsum;
}
