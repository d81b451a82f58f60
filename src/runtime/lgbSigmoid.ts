// LightGBM's sigmoid in double with glibc exp (src/objective/binary_objective.hpp ConvertOutput).
import { exp } from "./math/exp.ts";

/** 1 / (1 + exp(-s·x)) */
export function lgbSigmoid(x: number, s: number): number {
  return 1 / (1 + exp(-s * x));
}
