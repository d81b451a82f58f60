// How each named transform is written in generated code: calls to the same runtime functions the
// evaluator uses (src/ir/transforms.ts), so the arithmetic exists once.

import type { TransformName } from "../../src/ir/types.ts";

export interface TransformCode {
  runtime: string[];
  /** statement computing O[0..n) from R[0..n) */
  code: (n: number) => string;
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
};
