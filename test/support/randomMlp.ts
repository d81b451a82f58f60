// Random multi-layer perceptrons (the IR's "mlp" model) for the property tests: 0 to 2 hidden layers of 1 to 6 units,
// every hidden activation, and each output kind scikit-learn has (regression with 1 or 2 outputs, poisson's exp,
// binary logistic with numeric or string labels, softmax), sometimes behind a preprocessing program. Weights include
// 0, -0, small and large values so that relu meets -0 and tanh/logistic saturate.

import fc from "fast-check";
import { buildMlp } from "../../src/ir/mlp.ts";
import type { MlpActivation, MlpLayer, ModelIR } from "../../src/ir/types.ts";
import { preprocessFrom } from "./randomModel.ts";

type OutKind = "reg1" | "reg2" | "poisson" | "binary" | "binaryStrings" | "multi";

const weight = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5, -2.5, 40, -300, 1e-300) },
);

export const mlpArb: fc.Arbitrary<ModelIR> = fc
  .record({
    nFeatures: fc.integer({ min: 1, max: 5 }),
    hiddenSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 2 }),
    hidden: fc.constantFrom<MlpActivation>("identity", "logistic", "tanh", "relu"),
    out: fc.constantFrom<OutKind>("reg1", "reg2", "poisson", "binary", "binaryStrings", "multi"),
    nClasses: fc.integer({ min: 3, max: 4 }),
    values: fc.array(weight, { minLength: 64, maxLength: 64 }),
    pre: fc.option(fc.array(fc.nat(1 << 20), { minLength: 16, maxLength: 16 }), { freq: 4 }),
  })
  .map((s) => {
    const pre = s.pre ? preprocessFrom(s.pre, s.nFeatures) : undefined;
    const W = pre ? pre.output.length : s.nFeatures;
    const nOut = { reg1: 1, reg2: 2, poisson: 1, binary: 1, binaryStrings: 1, multi: s.nClasses }[s.out];
    const sizes = [W, ...s.hiddenSizes, nOut];
    let k = 0;
    const v = () => {
      const i = k++;
      return s.values[i % 64]! / (1 + (i % 5));
    };
    const layers: MlpLayer[] = sizes.slice(1).map((nOutL, l) => {
      const nIn = sizes[l]!;
      return { nIn, nOut: nOutL, weights: Float64Array.from({ length: nIn * nOutL }, v), bias: Float64Array.from({ length: nOutL }, v) };
    });
    const header = {
      irVersion: 1 as const,
      name: "mlp",
      nFeatures: s.nFeatures,
      source: { library: "test", version: "0", format: "random" },
      inputCast: "float64" as const,
      nOutputs: nOut,
      preprocess: pre,
      parity: { ulps: 4, dotProduct: true },
    };
    const meaning =
      s.out === "reg1" || s.out === "reg2" || s.out === "poisson"
        ? {
            task: s.out === "reg2" ? ("multitarget" as const) : ("regression" as const),
            transform: s.out === "poisson" ? ("lgb.exp" as const) : ("identity" as const),
            decision: { kind: "value" as const },
            proba: { kind: "none" as const },
          }
        : s.out === "multi"
          ? {
              task: "multiclass" as const,
              classes: Array.from({ length: nOut }, (_, i) => i * 3 - 1),
              transform: "sk.softmax" as const,
              transformArg: 1,
              decision: { kind: "argmax" as const, on: "output" as const },
              proba: { kind: "vector" as const },
            }
          : {
              task: "binary" as const,
              classes: s.out === "binary" ? [0, 1] : ["no", "yes"],
              transform: "lgb.sigmoid" as const,
              transformArg: 1,
              decision: { kind: "threshold" as const, on: "output" as const, op: ">" as const, value: 0.5 },
              proba: { kind: "binary" as const, numberType: "float64" as const },
            };
    return buildMlp({ ...header, ...meaning }, { layers, hidden: s.hidden });
  });
