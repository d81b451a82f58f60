// How each named transform is written in generated code: calls to the same runtime functions the
// evaluator uses (src/ir/transforms.ts), so the arithmetic exists once.

import type { TransformName } from "../../src/ir/types.ts";

export interface TransformCode {
  runtime: string[];
  /** statement computing O[0..n) from R (R[0..n), or the expression `src` when given) */
  code: (n: number, arg: string) => string;
}

const each = (fn: string, runtime: string[]): TransformCode => ({
  runtime,
  code: (n) => (n === 1 ? `O[0] = ${fn}(R[0]!);` : `for (let k = 0; k < ${n}; k++) O[k] = ${fn}(R[k]!);`),
});

export const TRANSFORM_CODE: Record<TransformName, TransformCode> = {
  identity: { runtime: [], code: (n) => (n === 1 ? "O[0] = R[0]!;" : "O.set(R);") },
  "xgb.sigmoid": each("xgbSigmoid", ["xgbSigmoid.ts"]),
  "xgb.sigmoid.legacy": each("xgbSigmoidLegacy", ["xgbSigmoid.ts"]),
  "xgb.exp": each("expf", ["math/expf.ts"]),
  "xgb.hinge": { runtime: [], code: (n) => `for (let k = 0; k < ${n}; k++) O[k] = R[k]! > 0 ? 1 : 0;` },
  "xgb.softmax": { runtime: ["xgbSoftmax.ts"], code: (n) => `xgbSoftmax(R, O, ${n});` },
  "xgb.sort": { runtime: [], code: () => "O.set(R); O.sort();" },
  "lgb.sigmoid": {
    runtime: ["lgbSigmoid.ts"],
    code: (n, arg) => (n === 1 ? `O[0] = lgbSigmoid(R[0]!, ${arg});` : `for (let k = 0; k < ${n}; k++) O[k] = lgbSigmoid(R[k]!, ${arg});`),
  },
  "lgb.softmax": { runtime: ["lgbSoftmax.ts"], code: (n) => `lgbSoftmax(R, O, ${n});` },
  "lgb.exp": each("exp", ["math/exp.ts"]),
  "lgb.log1pexp": each("lgbLog1pExp", ["lgbLog1pExp.ts"]),
  "sk.expm1": each("Math.expm1", []),
  "sk.softmax": { runtime: ["skSoftmax.ts"], code: (n, arg) => `skSoftmax(R, O, ${n}, ${arg});` },
  "sk.modhuber": { runtime: ["skSoftmax.ts"], code: (n) => `skModifiedHuber(R, O, ${n});` },
  "sk.iforest": {
    runtime: ["skIforest.ts"],
    code: (n, arg) => (n === 1 ? `O[0] = skIforest(R[0]!, ${arg});` : `for (let k = 0; k < ${n}; k++) O[k] = skIforest(R[k]!, ${arg});`),
  },
  "sk.ovr": { runtime: ["skSoftmax.ts"], code: (n, arg) => `skOvr(R, O, ${n}, ${arg});` },
  "lgb.square": {
    runtime: [],
    code: (n) => `for (let k = 0; k < ${n}; k++) { const v = R[k]!; O[k] = (v > 0 ? 1 : v < 0 ? -1 : 0) * v * v; }`,
  },
};
