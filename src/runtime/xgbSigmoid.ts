// XGBoost's logistic transform in float32 (src/common/math.h `Sigmoid`).
import { expf } from "./math/expf.ts";

const XGB_SIGMOID_EPS = Math.fround(1e-16);
const XGB_SIGMOID_CLAMP = Math.fround(88.7);

/** XGBoost >= 1.6: z = min(-x, 88.7f); 1 / ((expf(z) + 1) + 1e-16f), every step in float32. */
export function xgbSigmoid(x: number): number {
  const z = Math.min(-x, XGB_SIGMOID_CLAMP);
  const denom = Math.fround(Math.fround(expf(z) + 1) + XGB_SIGMOID_EPS);
  return Math.fround(1 / denom);
}

/** XGBoost < 1.6: 1 / (1 + expf(-x)) in float32. */
export function xgbSigmoidLegacy(x: number): number {
  return Math.fround(1 / Math.fround(1 + expf(-x)));
}
