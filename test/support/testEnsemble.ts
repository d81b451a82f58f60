// A builder for hand-made test ensembles: a plain regression header and one of two number layouts,
// XGBoost-like (float32 everywhere, `<`) or scikit-learn-like (float64, `<=`). Tests override what they vary.

import { EnsembleBuilder, type EnsembleOptions, type Header } from "../../src/ir/builder.ts";

export interface TestEnsemble {
  name: string;
  nFeatures: number;
  numbers: "float32" | "float64";
  base: number[];
  header?: Partial<Header>;
  options?: Partial<EnsembleOptions>;
  file?: string;
}

export function testEnsemble(t: TestEnsemble): EnsembleBuilder {
  const f32 = t.numbers === "float32";
  return new EnsembleBuilder(
    {
      irVersion: 1,
      name: t.name,
      task: "regression",
      nFeatures: t.nFeatures,
      source: { library: "test", version: "0", format: "test" },
      inputCast: t.numbers,
      nOutputs: t.base.length,
      transform: "identity",
      decision: { kind: "value" },
      proba: { kind: "none" },
      ...t.header,
    },
    {
      thresholdType: t.numbers,
      leafType: t.numbers,
      compare: f32 ? "<" : "<=",
      zeroThreshold: 0,
      categorical: f32
        ? { memberGoes: "right", invalidGoes: "nonmember", categoryLimit: 1 << 24, truncateFirst: false }
        : { memberGoes: "left", invalidGoes: "nonmember", categoryLimit: 1024, truncateFirst: true },
      accumulate: t.numbers,
      base: t.base,
      ...t.options,
    },
    t.file,
  );
}
