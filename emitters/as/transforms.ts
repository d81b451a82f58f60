// How each named transform is written in generated AssemblyScript: calls to the AssemblyScript ports of the runtime
// helpers (src/runtime/as), which are the TypeScript ones (src/runtime) operation for operation. Results go to the
// namespace's output array O (f64 in linear memory). A transform without an entry here makes the WebAssembly target
// refuse the model (E_UNSUPPORTED) rather than approximate it.

import type { TransformName } from "../../src/ir/types.ts";

export interface AsTransform {
  runtime: string[];
  /** statements computing O[0..n) from the n f64 values at `src`; arg is the transform's parameter (float literal) */
  code: (n: number, arg: string, src: string) => string;
}

const at = (p: string, k: string) => `${p} + (<usize>${k} << 3)`;
const each = (fn: (v: string, arg: string) => string, runtime: string[]): AsTransform => ({
  runtime,
  code: (n, arg, src) => `for (let k = 0; k < ${n}; k++) store<f64>(${at("O", "k")}, ${fn(`load<f64>(${at(src, "k")})`, arg)});`,
});
const copy = (n: number, src: string) => `for (let k = 0; k < ${n}; k++) store<f64>(${at("O", "k")}, load<f64>(${at(src, "k")}));`;

export const AS_TRANSFORMS: Partial<Record<TransformName, AsTransform>> & Record<string, AsTransform | undefined> = {
  identity: { runtime: [], code: (n, _, src) => copy(n, src) },
  "xgb.sigmoid": each((v) => `xgbSigmoid(${v})`, ["xgb.as"]),
  "xgb.sigmoid.legacy": each((v) => `xgbSigmoidLegacy(${v})`, ["xgb.as"]),
  "xgb.exp": each((v) => `expf(${v})`, ["expf.as"]),
  "xgb.hinge": each((v) => `${v} > 0.0 ? 1.0 : 0.0`, []),
  "xgb.softmax": { runtime: ["xgb.as"], code: (n, _, src) => `xgbSoftmax(${src}, O, ${n});` },
  "xgb.sort": { runtime: ["common.as"], code: (n, _, src) => `${copy(n, src)}\n  sortF64(O, ${n});` },
  "lgb.sigmoid": each((v, arg) => `lgbSigmoid(${v}, ${arg})`, ["lgb.as"]),
  "lgb.softmax": { runtime: ["lgb.as"], code: (n, _, src) => `lgbSoftmax(${src}, O, ${n});` },
  "lgb.exp": each((v) => `exp(${v})`, ["exp.as"]),
  "lgb.log1pexp": each((v) => `lgbLog1pExp(${v})`, ["lgb.as"]),
  "sk.expm1": each((v) => `fdlibmExpm1(${v})`, ["kernel.as"]),
  "sk.softmax": { runtime: ["sk.as"], code: (n, arg, src) => `skSoftmax(${src}, O, ${n}, ${arg});` },
  "sk.modhuber": { runtime: ["sk.as"], code: (n, _, src) => `skModifiedHuber(${src}, O, ${n});` },
  "sk.ovr": { runtime: ["sk.as"], code: (n, arg, src) => `skOvr(${src}, O, ${n}, ${arg});` },
  "sk.iforest": each((v, arg) => `skIforest(${v}, ${arg})`, ["sk.as"]),
  "lgb.square": {
    runtime: [],
    code: (n, _, src) =>
      `for (let k = 0; k < ${n}; k++) { const v = load<f64>(${at(src, "k")}); store<f64>(${at("O", "k")}, (v > 0.0 ? 1.0 : v < 0.0 ? -1.0 : 0.0) * v * v); }`,
  },
};
