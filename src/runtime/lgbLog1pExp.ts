// LightGBM's cross_entropy_lambda output in double with glibc exp and log1p. The source
// (src/objective/xentropy_objective.hpp, CrossEntropyLambda::ConvertOutput) reads std::log(1.0f + std::exp(x)), but
// the released lib_lightgbm.so (3.3.5 and 4.7.0 wheels, disassembled) calls exp then log1p: the compiler turned
// log(1 + y) into log1p(y). The two differ on about a fifth of the fixture's rows.
import { exp } from "./math/exp.ts";
import { log1p } from "./math/log1p.ts";

/** log1p(exp(x)) */
export function lgbLog1pExp(x: number): number {
  return log1p(exp(x));
}
