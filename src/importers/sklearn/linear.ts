// Linear models to the IR (sklearn/linear_model/_base.py LinearModel._decision_function,
// LinearClassifierMixin, _logistic.py predict_proba, _glm/glm.py predict): score = X @ coef_.T +
// intercept_. scikit-learn computes the product through BLAS, whose summation order depends on the
// CPU, so parity is within 4 ulps; modelc sums sequentially in float64.

import { buildLinear } from "../../ir/builder.ts";
import type { ModelIR } from "../../ir/types.ts";
import { atLeast, type Est } from "./doc.ts";
import type { OutputMeaning } from "../outputMeaning.ts";
import type { SkHeader } from "./skHeader.ts";

const REGRESSORS = [
  "LinearRegression",
  "Ridge",
  "RidgeCV",
  "Lasso",
  "LassoCV",
  "ElasticNet",
  "ElasticNetCV",
  "Lars",
  "LassoLars",
  "BayesianRidge",
  "ARDRegression",
  "HuberRegressor",
  "SGDRegressor",
  "PassiveAggressiveRegressor",
  "LinearSVR",
  "QuantileRegressor",
  "OrthogonalMatchingPursuit",
];
const GLMS = ["PoissonRegressor", "GammaRegressor", "TweedieRegressor"];
const CLASSIFIERS = [
  "LogisticRegression",
  "LogisticRegressionCV",
  "SGDClassifier",
  "Perceptron",
  "PassiveAggressiveClassifier",
  "LinearSVC",
  "RidgeClassifier",
  "RidgeClassifierCV",
];
export const LINEAR_CLASSES = [...REGRESSORS, ...GLMS, ...CLASSIFIERS];

export function importLinear(est: Est, header: SkHeader): ModelIR {
  const nFeatures = est.nFeatures();
  const coefArr = est.array("coef_");
  const coef = est.numbers("coef_");
  const rows = coefArr.shape.length === 1 ? 1 : coefArr.shape[0]!;
  if (coefArr.shape.length > 2 || coef.length !== rows * nFeatures)
    est.fail(`expected coef_ of ${nFeatures} features per row, got shape ${JSON.stringify(coefArr.shape)}`, ["attrs", "coef_"], "E_SHAPE");
  const icpt = est.attrs["intercept_"];
  const intercept = typeof icpt === "number" ? [icpt] : est.numbers("intercept_");
  if (intercept.length !== rows) est.fail(`expected ${rows} intercepts, got ${intercept.length}`, ["attrs", "intercept_"], "E_SHAPE");
  const weights = new Float64Array(nFeatures * rows);
  for (let g = 0; g < rows; g++) for (let i = 0; i < nFeatures; i++) weights[i * rows + g] = coef[g * nFeatures + i]!;

  let meaning: OutputMeaning;
  let classes: (number | string)[] | undefined;
  const notes = ["X @ coef_.T goes through BLAS (CPU-dependent summation): parity within 4 ulps or the dot-product error bound"];
  if (CLASSIFIERS.includes(est.cls)) {
    classes = est.classes();
    const binary = rows === 1;
    if (binary && classes.length !== 2) est.fail(`expected 2 classes for one coefficient row, got ${classes.length}`, ["attrs", "classes_"], "E_SHAPE");
    if (!binary && classes.length !== rows) est.fail(`expected ${rows} classes, got ${classes.length}`, ["attrs", "classes_"], "E_SHAPE");
    const decision = binary ? ({ kind: "threshold", on: "raw", op: ">", value: 0 } as const) : ({ kind: "argmax", on: "raw" } as const);
    const proba = probaRule(est, binary, rows);
    meaning = { task: binary ? "binary" : "multiclass", decision, ...proba };
    if (proba.note) notes.push(proba.note);
  } else if (GLMS.includes(est.cls)) {
    const logLink = glmLogLink(est);
    meaning = { task: "regression", transform: logLink ? "lgb.exp" : "identity", decision: { kind: "value" }, proba: { kind: "none" } };
    if (logLink) notes.push("predict = np.exp(raw) (CPU-dependent SIMD)");
  } else {
    meaning = { task: rows > 1 ? "multitarget" : "regression", transform: "identity", decision: { kind: "value" }, proba: { kind: "none" } };
  }
  return buildLinear(
    { ...header, ...meaning, nFeatures, nOutputs: rows, classes, inputCast: "float64", parity: { ulps: 4, dotProduct: true }, notes },
    { weights, bias: intercept, accumulate: "float64", missing: "propagate" },
    est.ctx.file,
    `$.${["estimator", "attrs", "coef_"].join(".")}`,
  );
}

function probaRule(est: Est, binary: boolean, k: number): Pick<OutputMeaning, "transform" | "transformArg" | "proba"> & { note?: string } {
  const none = { transform: "identity" as const, proba: { kind: "none" as const } };
  const ovr = binary
    ? { transform: "lgb.sigmoid" as const, transformArg: 1, proba: { kind: "binary" as const, numberType: "float64" as const } }
    : { transform: "sk.ovr" as const, transformArg: atLeast(est.ctx.sklearn, 1, 6) ? 1 : 0, proba: { kind: "vector" as const } };
  const softmax = { transform: "sk.softmax" as const, proba: { kind: "vector" as const }, note: "softmax through np.exp (CPU-dependent SIMD)" };
  if (est.cls === "LogisticRegression" || est.cls === "LogisticRegressionCV") {
    if (binary) {
      const mc = est.param("multi_class");
      if (!atLeast(est.ctx.sklearn, 1, 8) && mc === "multinomial")
        est.unsupported('multi_class="multinomial" on a binary problem is not supported', ["params", "multi_class"]);
      return ovr;
    }
    const mc = est.param("multi_class");
    const solver = est.param("solver");
    const isOvr = !atLeast(est.ctx.sklearn, 1, 8) && (mc === "ovr" || (mc !== "multinomial" && solver === "liblinear"));
    return isOvr ? ovr : softmax;
  }
  if (est.cls === "SGDClassifier") {
    const loss = est.param("loss");
    if (loss === "log_loss" || loss === "log") return ovr;
    if (loss === "modified_huber")
      return binary ? { transform: "sk.modhuber", proba: { kind: "binary", numberType: "float64" } } : { transform: "sk.modhuber", proba: { kind: "vector" } };
    return none;
  }
  void k;
  return none;
}

function glmLogLink(est: Est): boolean {
  if (est.cls !== "TweedieRegressor") return true;
  const link = est.param("link");
  if (link === "log") return true;
  if (link === "identity") return false;
  return est.paramNumber("power") > 0; // "auto": identity for power <= 0, else log
}
