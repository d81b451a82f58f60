// Multi-layer perceptrons: the emitted module (both styles) agrees with the IR evaluator bit for bit on random
// networks and hard rows (NaN, ±Infinity, -0, huge values), single rows and batches of any size alike; the evaluator
// follows scikit-learn's activations; the importer refuses what it cannot reproduce with one CompileError.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STYLES } from "../emitters/registry.ts";
import { emitTypeScript } from "../emitters/ts/emit.ts";
import { compileToModule } from "../src/compiledModule.ts";
import { evaluateOutput, evaluatePredict, evaluatePredictRaw, evaluateProba } from "../src/ir/evaluate.ts";
import { buildMlp, mlpActivate } from "../src/ir/mlp.ts";
import { modelWidth, runPreprocess } from "../src/ir/preprocess.ts";
import { applyTransform } from "../src/ir/transforms.ts";
import type { MlpModel, ModelIR } from "../src/ir/types.ts";
import { defaultRule } from "../src/parity.ts";
import { importSklearn } from "../src/importers/sklearn/importSklearn.ts";
import { CompileError } from "../src/errors.ts";
import { batchOf, batchSizeArb, checkBatchSizes } from "./support/batchSizes.ts";
import { mlpArb } from "./support/randomMlp.ts";
import { rowsArb } from "./support/randomModel.ts";
import { sameOutput } from "./support/sameOutput.ts";

const same = sameOutput;

const show = (row: number[]) => JSON.stringify(row.map(String));

describe("mlp: emitters agree with the evaluator", () => {
  for (const style of STYLES) {
    it(`${style}: random networks, hard rows`, async () => {
      await fc.assert(
        fc.asyncProperty(
          mlpArb.chain((ir) => fc.tuple(fc.constant(ir), rowsArb(ir))),
          async ([ir, rows]) => {
            const mod = await compileToModule(ir, style);
            const flat = Float64Array.from(rows.flat());
            const batchRaw = mod.predictRawBatch(flat, rows.length);
            for (const [r, row] of rows.entries()) {
              const raw = evaluatePredictRaw(ir, row);
              const got = mod.predictRaw(row);
              if (!same(got, ir.nOutputs === 1 ? raw[0]! : raw)) throw new Error(`raw differs on ${show(row)}: ${got} vs ${raw}`);
              for (let k = 0; k < ir.nOutputs; k++) expect(Object.is(batchRaw[r * ir.nOutputs + k], raw[k])).toBe(true);
              const pred = evaluatePredict(ir, row);
              const gotPred = mod.predict(row);
              if (!same(gotPred, pred)) throw new Error(`predict differs on ${show(row)}: ${gotPred} vs ${pred}`);
              const proba = evaluateProba(ir, row);
              expect(proba === undefined).toBe(mod.predictProba === undefined);
              if (proba && !same(mod.predictProba!(row), proba)) throw new Error(`predictProba differs on ${show(row)}`);
            }
          },
        ),
        { numRuns: 60, seed: 20261206 },
      );
    });

    it(`${style}: batches of random sizes equal per-row evaluation`, async () => {
      await fc.assert(
        fc.asyncProperty(mlpArb, fc.array(batchSizeArb, { minLength: 1, maxLength: 3 }), fc.nat(), async (ir, sizes, seed) => {
          const mod = await compileToModule(ir, style);
          for (const n of sizes) checkBatchSizes(ir, mod, batchOf(ir, n, seed + n), `${style} n=${n}`);
        }),
        { numRuns: 15, seed: 20261207 },
      );
    });
  }
});

/**
 * The network as another machine might compute it: every dot product summed in reverse order (as a BLAS kernel may),
 * each tanh moved by up to 3 ulps (numpy's SIMD tanh), then the output transform.
 */
function otherOrder(ir: ModelIR, m: MlpModel, input: ArrayLike<number>, jitter: number): Float64Array {
  let a: ArrayLike<number> = ir.preprocess ? runPreprocess(ir.preprocess, ir.nFeatures, input) : Array.from(input).slice(0, modelWidth(ir));
  let z = new Float64Array(0);
  m.layers.forEach((L, l) => {
    z = new Float64Array(L.nOut);
    for (let j = 0; j < L.nOut; j++) {
      let s = 0;
      for (let i = L.nIn - 1; i >= 0; i--) s += a[i]! * L.weights[i * L.nOut + j]!;
      z[j] = s + L.bias[j]!;
      if (l < m.layers.length - 1) {
        z[j] = mlpActivate(m.hidden, z[j]!);
        if (m.hidden === "tanh") z[j] = z[j]! * (1 + (((jitter + j) % 7) - 3) * 2.220446049250313e-16);
      }
    }
    a = z;
  });
  const out = new Float64Array(ir.nOutputs);
  applyTransform(ir.transform, z, out, ir.nOutputs, ir.transformArg);
  return out;
}

/** A regression network of `depth` hidden layers of 3 units (tanh), weights from a fixed sequence. */
function deep(depth: number): ModelIR {
  const sizes = [2, ...Array.from({ length: depth }, () => 3), 1];
  let k = 0;
  const v = () => Math.sin(++k) * 1.3;
  const layers = sizes.slice(1).map((nOut, l) => ({
    nIn: sizes[l]!,
    nOut,
    weights: Float64Array.from({ length: sizes[l]! * nOut }, v),
    bias: Float64Array.from({ length: nOut }, v),
  }));
  return buildMlp(
    {
      irVersion: 1,
      name: "deep",
      task: "regression",
      nFeatures: 2,
      source: { library: "test", version: "0", format: "random" },
      inputCast: "float64",
      nOutputs: 1,
      transform: "identity",
      decision: { kind: "value" },
      proba: { kind: "none" },
    },
    { layers, hidden: "tanh" },
  );
}

describe("mlp: depth is data, not code", () => {
  it("a 3000-layer network is a loop over tables (as many lines as a 300-layer one) and agrees with the evaluator", async () => {
    const lines = (ir: ModelIR) => emitTypeScript(ir, "table").split("\n").length;
    expect(lines(deep(3000))).toBe(lines(deep(300)));
    const ir = deep(3000);
    const mod = await compileToModule(ir, "ifelse");
    const rows = [
      [0.5, -1.25],
      [0, -0],
      [1e300, -3],
    ];
    for (const row of rows) expect(Object.is(mod.predict(row), evaluatePredict(ir, row))).toBe(true);
    const batch = mod.predictBatch(Float64Array.from(rows.flat()), rows.length);
    rows.forEach((row, r) => expect(Object.is(batch[r], evaluatePredict(ir, row))).toBe(true));
  });
});

describe("mlp: the parity rule (src/parityMlp.ts)", () => {
  const row = (n: number) => fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: n, maxLength: n });
  // so that a difference of 1e-6 (a wrong weight or activation gives more) is refused on ordinary rows
  it("accepts another summation order and numpy's tanh, and stays under 1e-6 on ordinary rows", () => {
    fc.assert(
      fc.property(
        mlpArb.chain((ir) => fc.tuple(fc.constant(ir), fc.array(row(ir.nFeatures), { minLength: 1, maxLength: 8 }))),
        ([ir, rows]) => {
          const rule = defaultRule(ir);
          if (rule.kind !== "ulps" || !rule.rowAbs || ir.model.kind !== "mlp") throw new Error("expected the dot-product rule");
          for (const [r, x] of rows.entries()) {
            const bound = rule.rowAbs(x);
            const ours = evaluateProba(ir, x) ?? evaluateOutput(ir, x);
            const theirs = otherOrder(ir, ir.model, x, r);
            const lib = ir.proba.kind === "binary" ? Float64Array.of(1 - theirs[0]!, theirs[0]!) : theirs;
            for (const [k, e] of lib.entries()) {
              const g = ours[k]!;
              if (!Number.isFinite(e)) continue;
              const ok = g === e || Math.abs(g - e) <= bound * Math.max(1, Math.abs(e));
              if (!ok) throw new Error(`row ${show(x)} output ${k}: ${g} vs ${e}, bound ${bound}`);
            }
            // the bound stays far below a real error on ordinary rows
            if (!ir.preprocess) expect(bound).toBeLessThan(1e-6);
          }
        },
      ),
      { numRuns: 200, seed: 20261209 },
    );
  });
});

describe("mlp: scikit-learn's activations", () => {
  it("relu is np.maximum(z, 0): NaN stays, -0 and negatives become +0", () => {
    expect(Object.is(mlpActivate("relu", -0), 0)).toBe(true);
    expect(Object.is(mlpActivate("relu", -5), 0)).toBe(true);
    expect(mlpActivate("relu", Number.NaN)).toBeNaN();
    expect(mlpActivate("relu", Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(mlpActivate("relu", 2.5)).toBe(2.5);
  });
  it("logistic is scipy's expit 1 / (1 + exp(-z)), saturating to 0 and 1", () => {
    expect(mlpActivate("logistic", 0)).toBe(0.5);
    expect(mlpActivate("logistic", -800)).toBe(0);
    expect(mlpActivate("logistic", 800)).toBe(1);
    expect(mlpActivate("logistic", Number.NaN)).toBeNaN();
  });
  it("tanh and identity", () => {
    expect(mlpActivate("tanh", 30)).toBe(1);
    expect(Object.is(mlpActivate("tanh", -0), -0)).toBe(true);
    expect(Object.is(mlpActivate("identity", -0), -0)).toBe(true);
  });
});

/** A modelc_export document of an MLP, with attributes overridden. */
function doc(cls: string, attrs: Record<string, unknown>, params: Record<string, unknown> = {}) {
  const nd = (shape: number[], data: unknown[], dtype = "float64") => ({ ndarray: { dtype, shape, data } });
  return {
    format: "modelc-sklearn",
    format_version: 1,
    exporter_version: "0.1.0",
    versions: { sklearn: "1.9.1" },
    estimator: {
      class: cls,
      module: "sklearn.neural_network._multilayer_perceptron",
      params: { activation: "relu", ...params },
      attrs: {
        n_features_in_: 2,
        n_outputs_: 1,
        n_layers_: 3,
        coefs_: [nd([2, 2], [1, -1, 0.5, 2]), nd([2, 1], [1, -2])],
        intercepts_: [nd([2], [0, 0.25]), nd([1], [-0.5])],
        out_activation_: cls === "MLPClassifier" ? "logistic" : "identity",
        ...(cls === "MLPClassifier" ? { classes_: nd([2], ["a", "b"], "str") } : {}),
        ...attrs,
      },
    },
  };
}

describe("mlp: the scikit-learn importer", () => {
  it("reads a binary classifier and a regressor", () => {
    const clf = importSklearn(doc("MLPClassifier", {}));
    expect(clf.model.kind).toBe("mlp");
    expect(clf.transform).toBe("lgb.sigmoid");
    expect(clf.decision).toEqual({ kind: "threshold", on: "output", op: ">", value: 0.5 });
    const reg = importSklearn(doc("MLPRegressor", {}));
    expect(reg.task).toBe("regression");
    // relu(x·W + b) then the output layer, as scikit-learn computes it for x = [1, 2]
    const h = [Math.max(1 * 1 + 2 * 0.5 + 0, 0), Math.max(1 * -1 + 2 * 2 + 0.25, 0)];
    expect(evaluatePredict(reg, [1, 2])).toBe(0 + h[0]! * 1 + h[1]! * -2 + -0.5);
  });

  it("refuses what it cannot reproduce, naming the JSON path", () => {
    const fails = (d: unknown, re: RegExp, path: string) => {
      try {
        importSklearn(d);
        throw new Error("expected a CompileError");
      } catch (e) {
        expect(e).toBeInstanceOf(CompileError);
        expect((e as CompileError).message).toMatch(re);
        expect((e as CompileError).location?.path).toBe(path);
      }
    };
    fails(
      doc("MLPClassifier", {
        out_activation_: "logistic",
        coefs_: doc("MLPClassifier", {}).estimator.attrs.coefs_.map((c, l) =>
          l === 1 ? { ndarray: { dtype: "float64", shape: [2, 2], data: [1, 2, 3, 4] } } : c,
        ),
        intercepts_: [{ ndarray: { dtype: "float64", shape: [2], data: [0, 0] } }, { ndarray: { dtype: "float64", shape: [2], data: [0, 0] } }],
      }),
      /multilabel/,
      "$.estimator.attrs.out_activation_",
    );
    fails(doc("MLPRegressor", {}, { activation: "softplus" }), /activation "softplus"/, "$.estimator.params.activation");
    fails(doc("MLPRegressor", { n_layers_: 4 }), /n_layers_/, "$.estimator.attrs.n_layers_");
    fails(
      doc("MLPRegressor", {
        intercepts_: [{ ndarray: { dtype: "float64", shape: [3], data: [0, 0, 0] } }, { ndarray: { dtype: "float64", shape: [1], data: [0] } }],
      }),
      /expected 2 intercepts/,
      "$.estimator.attrs.intercepts_[0]",
    );
    fails(doc("MLPRegressor", { n_features_in_: 3 }), /layer 0: expected 3 inputs, got 2/, "$.estimator");
  });
});
