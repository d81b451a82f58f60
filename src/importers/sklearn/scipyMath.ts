// Compile-time constants of scikit-learn's gradient boosting init (the link of the prior's class
// fractions), computed as scipy computes them: scipy.special.logit with glibc log / log1p (the exact
// runtime ports, FMA variants included).
// These run in the compiler only; generated code receives the resulting double.

import { log } from "../../runtime/math/log.ts";
import { log1p } from "../../runtime/math/log1p.ts";

/**
 * scipy.special.logit for doubles. scipy >= 1.15 (scipy/scipy#21388, special/_logit.h) uses
 * log1p(s) - log1p(-s) with s = 2(x - 0.5) for 0.3 <= x <= 0.65; before, log(x / (1 - x)) everywhere.
 */
export function scipyLogit(x: number, scipyVersion: number[]): number {
  const modern = scipyVersion[0]! > 1 || (scipyVersion[0] === 1 && scipyVersion[1]! >= 15);
  if (modern && !(x < 0.3 || x > 0.65)) {
    const s = 2 * (x - 0.5);
    return log1p(s) - log1p(-s);
  }
  return log(x / (1 - x));
}
