// The meaning of each named post-transform, for the reference evaluator. Emitters print calls to the
// same runtime functions, so a transform is written once (src/runtime) and tested against the libraries.

import { expf } from "../runtime/math/expf.ts";
import { exp } from "../runtime/math/exp.ts";
import { lgbLog1pExp } from "../runtime/lgbLog1pExp.ts";
import { lgbSigmoid } from "../runtime/lgbSigmoid.ts";
import { lgbSoftmax } from "../runtime/lgbSoftmax.ts";
import { xgbSigmoid, xgbSigmoidLegacy } from "../runtime/xgbSigmoid.ts";
import { xgbSoftmax } from "../runtime/xgbSoftmax.ts";
import { skModifiedHuber, skOvr, skSoftmax } from "../runtime/skSoftmax.ts";
import { skIforest } from "../runtime/skIforest.ts";
import type { TransformName } from "./types.ts";

/** Apply a transform to raw[0..n) into out[0..n). */
export function applyTransform(name: TransformName, raw: Float64Array, out: Float64Array, n: number, arg = 1): void {
  switch (name) {
    case "identity":
      for (let i = 0; i < n; i++) out[i] = raw[i]!;
      return;
    case "xgb.sigmoid":
      for (let i = 0; i < n; i++) out[i] = xgbSigmoid(raw[i]!);
      return;
    case "xgb.sigmoid.legacy":
      for (let i = 0; i < n; i++) out[i] = xgbSigmoidLegacy(raw[i]!);
      return;
    case "xgb.exp":
      for (let i = 0; i < n; i++) out[i] = expf(raw[i]!);
      return;
    case "xgb.hinge":
      for (let i = 0; i < n; i++) out[i] = raw[i]! > 0 ? 1 : 0;
      return;
    case "xgb.softmax":
      xgbSoftmax(raw, out, n);
      return;
    case "xgb.sort": {
      const tmp = raw.slice(0, n).sort();
      for (let i = 0; i < n; i++) out[i] = tmp[i]!;
      return;
    }
    case "lgb.sigmoid":
      for (let i = 0; i < n; i++) out[i] = lgbSigmoid(raw[i]!, arg);
      return;
    case "lgb.softmax":
      lgbSoftmax(raw, out, n);
      return;
    case "lgb.exp":
      for (let i = 0; i < n; i++) out[i] = exp(raw[i]!);
      return;
    case "sk.expm1":
      for (let i = 0; i < n; i++) out[i] = Math.expm1(raw[i]!);
      return;
    case "lgb.log1pexp":
      for (let i = 0; i < n; i++) out[i] = lgbLog1pExp(raw[i]!);
      return;
    case "lgb.square":
      for (let i = 0; i < n; i++) {
        const v = raw[i]!;
        out[i] = (v > 0 ? 1 : v < 0 ? -1 : 0) * v * v;
      }
      return;
    case "sk.softmax":
      skSoftmax(raw, out, n, arg);
      return;
    case "sk.modhuber":
      skModifiedHuber(raw, out, n);
      return;
    case "sk.iforest":
      for (let i = 0; i < n; i++) out[i] = skIforest(raw[i]!, arg);
      return;
    case "sk.ovr":
      skOvr(raw, out, n, arg);
      return;
    default: {
      const never: never = name;
      throw new Error(`unknown transform ${String(never)}`);
    }
  }
}
