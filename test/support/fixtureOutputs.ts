// Which of a fixture's expected outputs a compiled module is checked against, with no silent skips: every key
// of expected.json is either compared or listed in the fixture's meta.json `refused_outputs` ({key: reason},
// written by the fixture script, so a refusal is deliberate and visible). A refusal of an output the module does
// compile is an error too (a stale entry would hide a regression later).

import type { GeneratedModule } from "../../src/compiledModule.ts";
import type { ExpectedOutputs } from "../../src/parity.ts";

export interface RefusalMeta {
  refused_outputs?: Record<string, string>;
}

/** Keys of expected.json that test/fixtures.test.ts compares (raw_iter/output_iter only with meta num_iteration). */
export const CHECKED_KEYS = ["predict", "predict_proba", "raw", "output", "decision_function", "score_samples"];

const METHOD: Record<keyof ExpectedOutputs, keyof GeneratedModule> = {
  predict: "predict",
  predict_proba: "predictProba",
  raw: "predictRaw",
  // outlier detectors: predictRaw is decision_function, scoreSamples score_samples
  decision_function: "predictRaw",
  score_samples: "scoreSamples",
};

/** Throws for a key of expected.json that no check reads and meta.json does not refuse. */
export function assertKnownKeys(expected: object, meta: RefusalMeta & { num_iteration?: number }, label: string): void {
  const refused = meta.refused_outputs ?? {};
  const checked = meta.num_iteration !== undefined ? [...CHECKED_KEYS, "raw_iter", "output_iter"] : CHECKED_KEYS;
  for (const key of Object.keys(expected)) {
    if (checked.includes(key) || key in refused) continue;
    throw new Error(`${label}: expected.json has "${key}", which no check compares and meta.json refused_outputs does not list`);
  }
  for (const [key, why] of Object.entries(refused)) {
    if (typeof why !== "string" || why.trim() === "") throw new Error(`${label}: refused_outputs.${key} needs a reason`);
  }
}

/**
 * The subset of `expected` to compare with `mod`: a key whose method the module lacks throws unless
 * refused_outputs lists it (then it is dropped); a refused key the module does have throws.
 */
export function comparable(mod: GeneratedModule, expected: ExpectedOutputs, meta: RefusalMeta, label: string): ExpectedOutputs {
  const refused = meta.refused_outputs ?? {};
  const out: ExpectedOutputs = {};
  for (const key of Object.keys(expected) as (keyof ExpectedOutputs)[]) {
    const has = typeof mod[METHOD[key]] === "function";
    if (key in refused) {
      if (has) throw new Error(`${label}: meta.json refuses "${key}" (${refused[key]}) but the module compiles it: update the fixture script`);
      continue;
    }
    if (!has)
      throw new Error(
        `${label}: the library gives "${key}" but the compiled module has no ${METHOD[key]} (refuse it in the fixture's meta.json refused_outputs with a reason, or compile it)`,
      );
    out[key] = expected[key];
  }
  return out;
}
