// GradientBoostingClassifier/Regressor to the IR (sklearn/ensemble/_gb.py, _gradient_boosting.pyx
// predict_stages): raw = init + Σ f64(learning_rate · leaf), stage-major in float64, features f32.
// The init raw score is computed here from the dumped init_ estimator: a DummyClassifier's predict_proba (every
// strategy but the random "stratified") or a DummyRegressor's constant_ (every strategy), through the loss's link.
// Any other init estimator predicts per row, which the IR's constant base cannot hold: refused, naming it.

import { EnsembleBuilder } from "../../ir/builder.ts";
import type { ModelIR } from "../../ir/types.ts";
import { exp } from "../../runtime/math/exp.ts";
import { log } from "../../runtime/math/log.ts";
import { skPairwiseSum } from "../../runtime/skSoftmax.ts";
import { atLeast, type Est } from "./doc.ts";
import type { OutputMeaning } from "../outputMeaning.ts";
import type { SkHeader } from "./skHeader.ts";
import { scipyLogit } from "./scipyMath.ts";
import { nodeValues, readTree, treeInput, sklearnTreeOptions } from "./trees.ts";

const F32_EPS = 1.1920928955078125e-7;
const F64_EPS = 2.220446049250313e-16;

export function importGradientBoosting(est: Est, header: SkHeader): ModelIR {
  const v = est.ctx.sklearn;
  const newLoss = atLeast(v, 1, 4); // sklearn._loss objects and _init_raw_predictions (1.4+)
  const classifier = est.cls === "GradientBoostingClassifier";
  const loss = est.paramString("loss");
  const lr = est.paramNumber("learning_rate");
  const nFeatures = est.nFeatures();
  const stagesArr = est.array("estimators_", 2);
  const [nStages, K] = stagesArr.shape as [number, number];
  const stages = est.estimators("estimators_");
  let classes: (number | string)[] | undefined;
  let meaning: OutputMeaning;
  let parity: { ulps: number } | undefined;
  const notes: string[] = [];
  const exponential = loss === "exponential";
  if (classifier) {
    classes = est.classes();
    if (K === 1) {
      if (classes.length !== 2) est.fail(`expected 2 classes for one tree per stage, got ${classes.length}`, ["attrs", "classes_"], "E_SHAPE");
      meaning = {
        task: "binary",
        // HalfBinomialLoss / ExponentialLoss predict_proba: expit(raw) / expit(2·raw), scipy = glibc exp
        transform: "lgb.sigmoid",
        transformArg: exponential ? 2 : 1,
        // >= 1.4 and exponential: raw >= 0; < 1.4 binomial: argmax([1 - p, p]), i.e. p > 0.5
        decision: newLoss || exponential ? { kind: "threshold", on: "raw", op: ">=", value: 0 } : { kind: "threshold", on: "output", op: ">", value: 0.5 },
        proba: { kind: "binary", numberType: "float64" },
      };
    } else {
      if (classes.length !== K) est.fail(`expected ${K} classes, got ${classes.length}`, ["attrs", "classes_"], "E_SHAPE");
      meaning = {
        task: "multiclass",
        transform: "sk.softmax",
        transformArg: newLoss ? 1 : 2,
        decision: newLoss ? { kind: "argmax", on: "raw" } : { kind: "argmax", on: "output" },
        proba: { kind: "vector" },
      };
      // < 1.4: exp(raw - logsumexp(raw)) with np.exp and np.log: the errors compound (6 ulps seen)
      parity = { ulps: newLoss ? 4 : 8 };
      notes.push(`predict_proba uses numpy's np.exp (CPU-dependent SIMD): parity within ${parity.ulps} ulps`);
    }
  } else {
    if (K !== 1) est.fail(`expected one tree per stage, got ${K}`, ["attrs", "estimators_"], "E_SHAPE");
    meaning = { task: "regression", transform: "identity", decision: { kind: "value" }, proba: { kind: "none" } };
  }

  const base = initRaw(est, classifier, loss, K, newLoss);
  if (base.inexact) {
    parity = { ulps: Math.max(4, parity?.ulps ?? 0) };
    notes.push(base.inexact);
  }
  const b = new EnsembleBuilder(
    { ...header, ...meaning, nFeatures, nOutputs: K, classes, inputCast: "float32", parity, notes },
    sklearnTreeOptions({
      base: base.values,
    }),
    est.ctx.file,
  );
  if (stages.length !== nStages * K) est.fail(`expected ${nStages * K} trees, got ${stages.length}`, ["attrs", "estimators_"], "E_SHAPE");
  stages.forEach((t, i) => {
    const tree = readTree(t);
    // predict_stages: out += scale * value (the product rounded, then added)
    b.addTree(
      treeInput(tree, 1, i % K, (n) => [lr * nodeValues(tree, n, 0, 1)[0]!]),
      tree.at.join("."),
    );
  });
  return b.build();
}

/** The init estimator's raw prediction per output, as _init_raw_predictions / get_init_raw_predictions compute it. */
function initRaw(est: Est, classifier: boolean, loss: string, K: number, newLoss: boolean): { values: number[]; inexact?: string } {
  const init = est.attr("init_");
  if (init === "zero") return { values: new Array(K).fill(0) };
  const dummy = est.estimator("init_");
  if (classifier) {
    if (dummy.cls !== "DummyClassifier")
      dummy.unsupported('is not supported as a GradientBoostingClassifier init (supported: DummyClassifier, "zero")', ["class"]);
    const prior = dummyProba(dummy, K === 1 ? 2 : K);
    const eps = newLoss && atLeast(est.ctx.sklearn, 1, 8) ? F64_EPS : F32_EPS;
    const clip = (p: number) => Math.min(Math.max(p, eps), 1 - eps);
    const npLog = "the init raw score goes through numpy's np.log (CPU-dependent SIMD): parity within 4 ulps";
    if (K === 1) {
      const p = clip(prior[1]!);
      if (newLoss) {
        // LogitLink / HalfLogitLink (sklearn/_loss/link.py): scipy.special.logit, times 0.5 for exponential
        const l = scipyLogit(p, est.ctx.scipy);
        return { values: [loss === "exponential" ? l * 0.5 : l] };
      }
      // _gb_losses.py: np.log(p / (1 - p)), times 0.5 for exponential
      const l = log(p / (1 - p));
      return { values: [loss === "exponential" ? 0.5 * l : l], inexact: npLog };
    }
    const p = prior.map(clip);
    if (!newLoss) return { values: p.map((x) => log(x)), inexact: npLog };
    // MultinomialLogit.link: log(p / gmean(p)), gmean = exp(mean(log p))
    const lp = p.map((x) => log(x));
    const gm = exp((0 + skPairwiseSum(lp, 0, K)) / K);
    return { values: p.map((x) => log(x / gm)), inexact: npLog };
  }
  if (dummy.cls !== "DummyRegressor") dummy.unsupported('is not supported as a GradientBoostingRegressor init (supported: DummyRegressor, "zero")', ["class"]);
  // DummyRegressor.predict: constant_ for every strategy (mean, median, quantile, constant), astype(float64);
  // the regression losses' link is the identity
  const c = dummy.numbers("constant_");
  if (c.length !== 1) dummy.fail(`expected one constant, got ${c.length}`, ["attrs", "constant_"], "E_SHAPE");
  return { values: [c[0]!] };
}

/**
 * DummyClassifier.predict_proba (sklearn/dummy.py), the same for every row: class_prior_ ("prior", times 1.0),
 * one-hot at its first maximum ("most_frequent") or at the class equal to `constant` ("constant"), 1/K ("uniform").
 * "stratified" draws a random one-hot row per sample: refused.
 */
function dummyProba(dummy: Est, K: number): number[] {
  const strategy = dummy.has("_strategy") ? dummy.attr("_strategy") : dummy.paramString("strategy", "prior");
  const prior = dummy.numbers("class_prior_", 1);
  if (prior.length !== K) dummy.fail(`expected ${K} class priors, got ${prior.length}`, ["attrs", "class_prior_"], "E_SHAPE");
  const oneHot = (i: number) => prior.map((_, k) => (k === i ? 1 : 0));
  switch (strategy) {
    case "prior":
      return prior.map((p) => 1 * p);
    case "most_frequent": {
      let best = 0;
      for (let k = 1; k < K; k++) if (prior[k]! > prior[best]!) best = k;
      return oneHot(best);
    }
    case "uniform":
      return prior.map(() => 1 / K);
    case "constant": {
      const classes = dummy.classes();
      let c = dummy.param("constant");
      if (Array.isArray(c) && c.length === 1) c = c[0];
      // fit checked that the constant is one of the classes; np.where(classes_ == constant)
      return classes.map((x) => (x === c ? 1 : 0));
    }
    default:
      return dummy.unsupported(`strategy ${JSON.stringify(strategy)} is not supported as an init (its predict_proba is random per row)`, [
        "params",
        "strategy",
      ]);
  }
}
