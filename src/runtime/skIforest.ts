// IsolationForest's decision_function from the normalized path length r = depths / (n_trees·c(max_samples)):
// score_samples = -2^(-r), minus offset_ (sklearn/ensemble/_iforest.py _compute_score_samples).
// numpy computes 2 ** x with its own (CPU-dependent) pow; here 2^y = exp(y·ln 2) with glibc's exp.
import { exp } from "./math/exp.ts";

export function skIforest(r: number, offset: number): number {
  return -exp(-r * 0.6931471805599453) - offset;
}
