// scikit-learn meta-estimators to composite models (types.ts CompositeModel): VotingClassifier, VotingRegressor
// (sklearn/ensemble/_voting.py), BaggingClassifier, BaggingRegressor (sklearn/ensemble/_bagging.py). Each member is
// imported as a complete model by the dispatcher importSklearn.ts passes in; the operation order follows scikit-learn:
// - Voting soft: np.average(stack of predict_proba, axis=0, weights): over the members, the first value then each
//   next one added (numpy's add.reduce over the outer axis), each multiplied by its weight when there are weights,
//   divided by the number of members or by np.sum(weights) (numpy's pairwise sum, computed here).
// - Voting hard: np.bincount(member predictions, weights) from zeros in member order, argmax (first maximum).
// - VotingRegressor: np.average(predictions, axis=1, weights), the same sums as soft voting.
// - BaggingClassifier: zeros, then each member's predict_proba added at its classes_ (or, without predict_proba, 1 at
//   its predicted class), divided by n_estimators; predict = argmax of that. BaggingRegressor: Python's sum of the
//   members' predictions (from 0) divided by n_estimators. Members read the columns estimators_features_.

import { checkComposite } from "../../ir/composite.ts";
import { probaWidth, type CalibrationMap, type CompositeMember, type CompositeModel, type ModelIR } from "../../ir/types.ts";
import { skPairwiseSum } from "../../runtime/skSoftmax.ts";
import { describe } from "../zodHelpers.ts";
import { atLeast, numericData, readArray, type Est } from "./doc.ts";
import type { SkHeader } from "./skHeader.ts";

export const META_CLASSES = [
  "VotingClassifier",
  "VotingRegressor",
  "BaggingClassifier",
  "BaggingRegressor",
  "StackingClassifier",
  "StackingRegressor",
  "MultiOutputClassifier",
  "MultiOutputRegressor",
  "TransformedTargetRegressor",
  "CalibratedClassifierCV",
  "OneVsRestClassifier",
];

/** Classifiers whose decision_function is modelc's predictRaw (CalibratedClassifierCV calibrates it when present). */
const DECISION_CLASSES = [
  "LogisticRegression",
  "LogisticRegressionCV",
  "RidgeClassifier",
  "RidgeClassifierCV",
  "SGDClassifier",
  "Perceptron",
  "PassiveAggressiveClassifier",
  "LinearSVC",
  "SVC",
  "NuSVC",
  "GradientBoostingClassifier",
  "HistGradientBoostingClassifier",
];
/** Classifiers that have a decision_function modelc does not map (refused under CalibratedClassifierCV). */
const OTHER_DECISION_CLASSES = ["AdaBoostClassifier", "BaggingClassifier", "StackingClassifier", "OneVsRestClassifier"];

/** How deeply meta-estimators may nest (a Voting of Baggings of … ): the evaluator and printers recurse over it. */
const MAX_NESTING = 8;

export type ImportMember = (est: Est, header: SkHeader) => ModelIR;

/** A member's header: its own name and class (the source's objective), no feature names (it reads the parent's row). */
function memberHeader(header: SkHeader, i: number, e: Est): SkHeader {
  return { ...header, name: `${header.name}_${i}`, featureNames: undefined, source: { ...header.source, objective: e.cls } };
}

export function importMeta(est: Est, header: SkHeader, importMember: ImportMember): ModelIR {
  if (est.path.filter((s) => s === "estimators_" || s === "final_estimator_" || s === "regressor_" || s === "calibrated_classifiers_").length > MAX_NESTING)
    est.unsupported(`meta-estimators nested more than ${MAX_NESTING} deep are not supported`, []);
  if (est.cls === "CalibratedClassifierCV") return importCalibrated(est, header, importMember);
  if (est.cls === "TransformedTargetRegressor") {
    const reg = est.estimator("regressor_");
    return importTargetTransform(est, header, importMember(reg, memberHeader(header, 0, reg)));
  }
  const ests = est.estimators("estimators_");
  if (ests.length === 0) est.fail("expected at least one estimator, got 0", ["attrs", "estimators_"], "E_SHAPE");
  const irs = ests.map((e, i) => importMember(e, memberHeader(header, i, e)));
  if (est.cls.startsWith("MultiOutput")) return importMultiOutput(est, header, irs);
  if (est.cls === "OneVsRestClassifier") return importOneVsRest(est, header, ests, irs);
  if (est.cls.startsWith("Stacking")) {
    const fin = est.estimator("final_estimator_");
    return importStacking(est, header, irs, importMember(fin, memberHeader(header, irs.length, fin)));
  }
  const nFeatures = est.nFeatures();
  const classifier = est.cls.endsWith("Classifier");
  const classes = classifier ? est.classes() : undefined;
  const K = classes ? classes.length : 1;
  let members: CompositeMember[];
  let composite: Omit<CompositeModel, "members" | "kind">;
  let soft = true;
  if (est.cls.startsWith("Voting")) {
    const weights = votingWeights(est, irs.length);
    soft = !classifier || est.paramString("voting", "hard") === "soft";
    const use = !classifier ? "predict" : soft ? "proba" : "vote";
    members = irs.map((ir, i) => ({ ir, use, ...(weights ? { weight: weights[i]! } : {}) }));
    if (use === "vote") composite = { sum: "zero" };
    else composite = { sum: "first", divisor: weights ? 0 + skPairwiseSum(weights, 0, weights.length) : irs.length };
  } else {
    const feats = est.attr("estimators_features_");
    if (!Array.isArray(feats) || feats.length !== irs.length)
      est.fail(`expected ${irs.length} feature index arrays, got ${describe(feats)}`, ["attrs", "estimators_features_"], "E_SHAPE");
    const n = est.paramNumber("n_estimators");
    members = irs.map((ir, i) => {
      const at = ["attrs", "estimators_features_", i];
      const f = indices(numericData(readArray(feats[i], est, at, 1), est, at), nFeatures, est, at, "feature index");
      const identity = f.length === nFeatures && f.every((v, j) => v === j);
      const m: CompositeMember = { ir, use: "predict", ...(identity ? {} : { features: f }) };
      if (!classifier) return m;
      if (ir.proba.kind === "none") return { ...m, use: "vote" };
      const cl = ir.classes ?? [];
      return { ...m, use: "proba", ...(cl.length === K ? {} : { slots: indices(cl, K, est, ["attrs", "estimators_", i], "class index") }) };
    });
    composite = { sum: "zero", divisor: n };
  }
  const model: CompositeModel = { kind: "composite", members, ...composite };
  const msg = checkComposite(model, nFeatures, K, probaWidth);
  if (msg) est.fail(msg, ["attrs", "estimators_"], "E_SHAPE");
  const notes = irs.flatMap((ir, i) => (ir.notes ?? []).map((n) => `member ${i}: ${n}`));
  if (est.cls === "BaggingClassifier" && ests.some((e) => DECISION_CLASSES.includes(e.cls) || OTHER_DECISION_CLASSES.includes(e.cls)))
    notes.push("predictRaw is the combined probabilities (or votes), not BaggingClassifier.decision_function, which modelc does not compile yet");
  if (members.length >= 8 && composite.sum === "first")
    notes.push(
      "scikit-learn sums 8 or more members in a different order (numpy's pairwise sum) when it predicts a single row; " +
        "modelc follows its order for batches of 2 or more rows",
    );
  const vote = members.some((m) => m.use === "vote");
  return {
    ...header,
    task: classifier ? (K === 2 ? "binary" : "multiclass") : "regression",
    nFeatures,
    ...(classes ? { classes } : {}),
    inputCast: "float64",
    nOutputs: K,
    model,
    transform: "identity",
    decision: !classifier ? { kind: "value" } : { kind: "argmax", on: "output" },
    proba: classifier && (soft || est.cls.startsWith("Bagging")) && !(est.cls.startsWith("Voting") && vote) ? { kind: "vector" } : { kind: "none" },
    // a member's CPU-dependent outputs (BLAS, numpy's SIMD exp) flow into the combination: the widest member rule
    ...memberParity(irs),
    ...(notes.length ? { notes } : {}),
    source: { ...header.source, objective: `${est.cls}(${irs.map((ir) => ir.source.objective ?? ir.model.kind).join(", ")})` },
  };
}

/**
 * StackingClassifier/StackingRegressor (sklearn/ensemble/_stacking.py _transform, _concatenate_predictions): each
 * member's stack_method_ output side by side (predict_proba without its first column when there are 2 classes,
 * decision_function, or predict as one column), then the row itself when passthrough; the final estimator predicts
 * from that row. Its raw scores, transform, decision and probabilities are the composite's; class indices map to
 * the Stacking's classes_ (its LabelEncoder's).
 */
function importStacking(est: Est, header: SkHeader, irs: ModelIR[], final: ModelIR): ModelIR {
  const nFeatures = est.nFeatures();
  const classifier = est.cls === "StackingClassifier";
  const classes = classifier ? est.classes() : undefined;
  const methods = est.attr("stack_method_");
  if (!Array.isArray(methods) || methods.length !== irs.length)
    est.fail(`expected ${irs.length} stack methods, got ${describe(methods)}`, ["attrs", "stack_method_"], "E_SHAPE");
  let width = 0;
  const members = irs.map((ir, i): CompositeMember => {
    const method = methods[i];
    const at = ["attrs", "stack_method_", i];
    const next = (n: number, drop = 0): Int32Array => {
      const slots = Int32Array.from({ length: n }, (_, j) => (j < drop ? -1 : width + j - drop));
      width += n - drop;
      return slots;
    };
    if (method === "predict_proba") {
      const n = probaWidth(ir);
      if (n === 0) est.unsupported(`member ${i} (${ir.source.objective}) has no predict_proba in modelc`, at);
      return { ir, use: "proba", slots: next(n, classes && classes.length === 2 ? 1 : 0) };
    }
    if (method === "decision_function") {
      if (ir.outlier || ir.decision.kind === "value") est.unsupported(`member ${i}: decision_function of ${ir.source.objective} is not supported`, at);
      return { ir, use: "raw", slots: next(ir.nOutputs) };
    }
    if (method === "predict") {
      if (ir.decision.kind === "argmaxGroups" || (ir.decision.kind === "value" && ir.nOutputs !== 1))
        est.unsupported(`member ${i}: multi-output predictions are not supported`, at);
      return { ir, use: "predict", slots: next(1) };
    }
    return est.unsupported(`stack method ${describe(method)} is not supported`, at);
  });
  const passthrough = est.param("passthrough") === true;
  if (final.outlier || final.decision.kind === "vote" || final.proba.kind === "libsvm")
    est.unsupported(`the final estimator ${final.source.objective} is not supported (its decision needs its own model)`, ["attrs", "final_estimator_"]);
  if (classes) {
    const fc = final.classes ?? [];
    if (fc.length !== classes.length || !fc.every((c, k) => c === k))
      est.fail(`the final estimator's classes are not 0..${classes.length - 1}`, ["attrs", "final_estimator_"], "E_SHAPE");
  }
  const model: CompositeModel = { kind: "composite", members, sum: "first", final: { ir: final, width, passthrough } };
  const msg = checkComposite(model, nFeatures, final.nOutputs, probaWidth);
  if (msg) est.fail(msg, ["attrs", "estimators_"], "E_SHAPE");
  const all = [...irs, final];
  const notes = all.flatMap((ir, i) => (ir.notes ?? []).map((n) => `${i < irs.length ? `member ${i}` : "final estimator"}: ${n}`));
  return {
    ...header,
    task: final.task,
    nFeatures,
    ...(classes ? { classes } : {}),
    inputCast: "float64",
    nOutputs: final.nOutputs,
    model,
    transform: final.transform,
    ...(final.transformArg !== undefined ? { transformArg: final.transformArg } : {}),
    ...(final.outputDivisor !== undefined ? { outputDivisor: final.outputDivisor } : {}),
    decision: final.decision,
    proba: final.proba,
    ...memberParity(all),
    ...(notes.length ? { notes } : {}),
    source: { ...header.source, objective: `${est.cls}(${irs.map((ir) => ir.source.objective ?? ir.model.kind).join(", ")} → ${final.source.objective})` },
  };
}

/**
 * MultiOutputRegressor / MultiOutputClassifier (sklearn/multioutput.py): member i predicts output i. Regressors: its
 * prediction in slot i. Classifiers: their predict_proba side by side (one group per output, predict_proba's list
 * per row), and predict the argmax of each group, which is each member's predict when the member's predict is the
 * argmax of its probabilities (trees, forests); other members are refused.
 */
function importMultiOutput(est: Est, header: SkHeader, irs: ModelIR[]): ModelIR {
  const nFeatures = est.nFeatures();
  const at = ["attrs", "estimators_"];
  let model: CompositeModel;
  let rest: Pick<ModelIR, "task" | "nOutputs" | "decision" | "proba" | "outputClasses">;
  if (est.cls === "MultiOutputRegressor") {
    const members = irs.map((ir, i): CompositeMember => ({ ir, use: "predict", slots: Int32Array.of(i) }));
    model = { kind: "composite", members, sum: "first" };
    rest = { task: irs.length > 1 ? "multitarget" : "regression", nOutputs: irs.length, decision: { kind: "value" }, proba: { kind: "none" } };
  } else {
    let width = 0;
    const outputClasses: number[][] = [];
    const members = irs.map((ir, i): CompositeMember => {
      const d = ir.decision;
      if (d.kind !== "argmax" || d.on !== "output" || ir.proba.kind !== "vector" || ir.transform !== "identity")
        est.unsupported(`member ${i} (${ir.source.objective}): only members whose predict is the argmax of predict_proba are supported`, [...at, i]);
      const cl = ir.classes ?? [];
      if (!cl.every((c) => typeof c === "number"))
        est.unsupported(`member ${i}: string class labels are not supported in multi-output classification`, [...at, i]);
      outputClasses.push(cl as number[]);
      const n = probaWidth(ir);
      const slots = Int32Array.from({ length: n }, (_, j) => width + j);
      width += n;
      return { ir, use: "proba", slots };
    });
    model = { kind: "composite", members, sum: "first" };
    const groups = outputClasses.map((c) => c.length);
    rest = { task: "multioutput", nOutputs: width, decision: { kind: "argmaxGroups", on: "output", groups }, proba: { kind: "vector" }, outputClasses };
  }
  const msg = checkComposite(model, nFeatures, rest.nOutputs, probaWidth);
  if (msg) est.fail(msg, at, "E_SHAPE");
  return {
    ...header,
    nFeatures,
    inputCast: "float64",
    model,
    transform: "identity",
    ...rest,
    ...memberParity(irs),
    source: { ...header.source, objective: `${est.cls}(${irs.map((ir) => ir.source.objective ?? ir.model.kind).join(", ")})` },
  };
}

/**
 * TransformedTargetRegressor (sklearn/compose/_target.py predict): transformer_.inverse_transform of the regressor's
 * prediction. StandardScaler: y · scale_ then + mean_ (each when fitted with it); FunctionTransformer: inverse_func
 * None (identity) or np.exp (glibc exp here, numpy's SIMD exp there: within 4 ulps).
 */
function importTargetTransform(est: Est, header: SkHeader, reg: ModelIR): ModelIR {
  const nFeatures = est.nFeatures();
  if (reg.decision.kind !== "value" || reg.nOutputs !== 1) est.unsupported("only single-output regressors are supported", ["attrs", "regressor_"]);
  const t = est.estimator("transformer_");
  const member: CompositeMember = { ir: reg, use: "predict" };
  const model: CompositeModel = { kind: "composite", members: [member], sum: "first" };
  let transform: ModelIR["transform"] = "identity";
  const notes: string[] = [];
  let inexact = false;
  const one = (name: string): number | undefined => {
    if (!t.has(name)) return undefined;
    const v = t.numbers(name);
    if (v.length !== 1) t.fail(`expected 1 value, got ${v.length}`, ["attrs", name], "E_SHAPE");
    return v[0]!;
  };
  // the scalers' inverse_transform: X *= scale; X += center (each when the scaler was fitted with it)
  const scaler = new Map<string, [string | undefined, string | undefined]>([
    ["StandardScaler", ["with_std", "with_mean"]],
    ["RobustScaler", ["with_scaling", "with_centering"]],
    ["MaxAbsScaler", [undefined, undefined]],
  ]);
  const sc = scaler.get(t.cls);
  if (sc) {
    const [withScale, withCenter] = sc;
    const scale = withScale !== undefined && t.param(withScale) === false ? undefined : one("scale_");
    const centerName = t.cls === "StandardScaler" ? "mean_" : "center_";
    const center = withCenter === undefined || t.param(withCenter) === false ? undefined : one(centerName);
    if (scale !== undefined) member.weight = scale;
    if (center !== undefined) model.offset = [center];
  } else if (t.cls === "FunctionTransformer") {
    const inv = t.param("inverse_func");
    // the exporter names a function {"function": "numpy.exp"} (older exports: {"object": "numpy.exp"})
    const name =
      inv && typeof inv === "object" && "function" in inv
        ? (inv as { function: unknown }).function
        : inv && typeof inv === "object" && "object" in inv
          ? (inv as { object: unknown }).object
          : inv;
    if (name === "numpy.exp") {
      transform = "lgb.exp";
      inexact = true;
      notes.push("inverse_func np.exp: numpy's SIMD exp differs from glibc's by up to an ulp on some inputs");
    } else if (name === "numpy.expm1") {
      transform = "sk.expm1";
      inexact = true;
      notes.push("inverse_func np.expm1: glibc's expm1 (numpy) and fdlibm's (modelc, as V8's Math.expm1) can differ by an ulp");
    } else if (name !== null && name !== undefined)
      t.unsupported(
        `inverse_func ${describe(name)} is not supported`,
        ["params", "inverse_func"],
        "supported: None, numpy.exp, numpy.expm1; or a StandardScaler, RobustScaler or MaxAbsScaler transformer",
      );
  } else t.unsupported("is not a supported target transformer", ["class"], "supported: StandardScaler, RobustScaler, MaxAbsScaler, FunctionTransformer");
  const msg = checkComposite(model, nFeatures, 1, probaWidth);
  if (msg) est.fail(msg, ["attrs", "regressor_"], "E_SHAPE");
  const mp = memberParity([reg]);
  const parity = inexact ? { parity: { ulps: Math.max(4, mp.parity?.ulps ?? 0), ...(mp.parity?.dotProduct ? { dotProduct: true } : {}) } } : mp;
  return {
    ...header,
    task: "regression",
    nFeatures,
    inputCast: "float64",
    nOutputs: 1,
    model,
    transform,
    decision: { kind: "value" },
    proba: { kind: "none" },
    ...parity,
    ...(notes.length || reg.notes ? { notes: [...notes, ...(reg.notes ?? []).map((n) => `regressor: ${n}`)] } : {}),
    source: { ...header.source, objective: `${est.cls}(${reg.source.objective} → ${t.cls})` },
  };
}

/**
 * CalibratedClassifierCV (sklearn/calibration.py): the mean, from zeros, of its calibrated_classifiers_' predict_proba
 * (one with ensemble=False); predict is the argmax. Each _CalibratedClassifier: the base estimator's decision_function
 * when it has one, else predict_proba (binary: the positive column only), each column through its calibrator into its
 * class (types.ts CompositeModel.calibrate), then normalized.
 */
function importCalibrated(est: Est, header: SkHeader, importMember: ImportMember): ModelIR {
  const nFeatures = est.nFeatures();
  const classes = est.classes();
  const K = classes.length;
  const ccs = est.estimators("calibrated_classifiers_");
  if (ccs.length === 0) est.fail("expected at least one calibrated classifier, got 0", ["attrs", "calibrated_classifiers_"], "E_SHAPE");
  const irs = ccs.map((cc, i) =>
    calibratedClassifier(cc, classes, importMember(cc.estimator("estimator"), memberHeader(header, i, cc.estimator("estimator")))),
  );
  const model: CompositeModel = { kind: "composite", members: irs.map((ir) => ({ ir, use: "proba" })), sum: "zero", divisor: irs.length };
  const msg = checkComposite(model, nFeatures, K, probaWidth);
  if (msg) est.fail(msg, ["attrs", "calibrated_classifiers_"], "E_SHAPE");
  return {
    ...header,
    task: K === 2 ? "binary" : "multiclass",
    nFeatures,
    classes,
    inputCast: "float64",
    nOutputs: K,
    model,
    transform: "identity",
    decision: { kind: "argmax", on: "output" },
    proba: { kind: "vector" },
    ...memberParity(irs),
    source: { ...header.source, objective: `${est.cls}(${irs.map((ir) => ir.source.objective).join(", ")})` },
  };
}

function calibratedClassifier(cc: Est, classes: (number | string)[], base: ModelIR): ModelIR {
  const K = classes.length;
  const method = cc.attr("method");
  if (method !== "sigmoid" && method !== "isotonic")
    cc.unsupported(`calibration method ${describe(method)} is not supported`, ["attrs", "method"], "supported: sigmoid, isotonic");
  // the class whose methods the base estimator has (a Pipeline's: its last step's)
  const inner = cc.estimator("estimator");
  let cls = inner.cls;
  if (cls === "Pipeline") {
    const steps = inner.attr("steps");
    const last: unknown = Array.isArray(steps) ? steps[steps.length - 1] : undefined;
    const step: unknown = Array.isArray(last) ? last[1] : undefined;
    const c = step && typeof step === "object" && "estimator" in step ? (step as { estimator: { class?: unknown } }).estimator.class : undefined;
    if (typeof c === "string") cls = c;
  }
  const decision = DECISION_CLASSES.includes(cls);
  if (!decision && OTHER_DECISION_CLASSES.includes(cls)) cc.unsupported(`calibrating the decision_function of ${cls} is not supported`, ["attrs", "estimator"]);
  const baseClasses = base.classes ?? [];
  const classOfLabel = (c: number | string): number => {
    const k = classes.indexOf(c);
    if (k < 0) cc.fail(`the base estimator's class ${JSON.stringify(c)} is not one of the calibrated classes`, ["attrs", "estimator"], "E_SHAPE");
    return k;
  };
  let member: CompositeMember;
  let columns: number;
  if (decision) {
    columns = base.nOutputs;
    member = { ir: base, use: "raw" };
  } else {
    const n = probaWidth(base);
    if (n === 0) cc.unsupported(`${base.source.objective} has neither a decision_function nor predict_proba in modelc`, ["attrs", "estimator"]);
    columns = K === 2 ? 1 : n;
    member = { ir: base, use: "proba", ...(K === 2 ? { slots: Int32Array.from({ length: n }, (_, j) => (j === n - 1 ? 0 : -1)) } : {}) };
  }
  const cals = cc.estimators("calibrators");
  if (cals.length !== columns) cc.fail(`expected ${columns} calibrators, got ${cals.length}`, ["attrs", "calibrators"], "E_SHAPE");
  const maps = cals.map((c): CalibrationMap => {
    if (c.cls === "_SigmoidCalibration") return { kind: "sigmoid", a: c.number("a_"), b: c.number("b_") };
    if (c.cls !== "IsotonicRegression") return c.unsupported("is not a supported calibrator", ["class"]);
    if (c.param("out_of_bounds") !== "clip") c.unsupported("only out_of_bounds='clip' is supported", ["params", "out_of_bounds"]);
    return {
      kind: "isotonic",
      x: Float64Array.from(c.numbers("X_thresholds_", 1)),
      y: Float64Array.from(c.numbers("y_thresholds_", 1)),
      lo: c.number("X_min_"),
      hi: c.number("X_max_"),
    };
  });
  const classOf = K === 2 ? Int32Array.of(1) : Int32Array.from(baseClasses.slice(0, columns), classOfLabel);
  if (classOf.length !== columns) cc.fail(`expected ${columns} base classes, got ${baseClasses.length}`, ["attrs", "estimator"], "E_SHAPE");
  const model: CompositeModel = { kind: "composite", members: [member], sum: "first", calibrate: { maps, classOf, normalize: K === 2 ? "binary" : "sum" } };
  const msg = checkComposite(model, base.nFeatures, K, probaWidth);
  if (msg) cc.fail(msg, [], "E_SHAPE");
  return {
    irVersion: 1,
    name: base.name,
    task: K === 2 ? "binary" : "multiclass",
    nFeatures: base.nFeatures,
    source: { ...base.source, objective: `${method}(${base.source.objective})` },
    inputCast: "float64",
    nOutputs: K,
    model,
    transform: "identity",
    decision: { kind: "argmax", on: "output" },
    proba: { kind: "vector" },
    ...memberParity([base]),
  };
}

/**
 * OneVsRestClassifier (sklearn/multiclass.py), 3 or more classes, not multilabel, over binary estimators whose
 * predict_proba is expit of their decision_function (logistic regression, gradient boosting): decision_function is the
 * members' decision_function side by side (the raw scores); predict its argmax (first maximum: scikit-learn >= 1.8
 * iterates in reverse for that; before, ties went to the last class); predict_proba expit of each, divided by the row
 * sum (the "sk.ovr" transform; an all-zero row, every expit underflowing, gives NaN, as before 1.8, where 1.8+ keeps
 * the zeros).
 */
function importOneVsRest(est: Est, header: SkHeader, ests: Est[], irs: ModelIR[]): ModelIR {
  const nFeatures = est.nFeatures();
  const classes = est.classes();
  const K = classes.length;
  const at = ["attrs", "estimators_"];
  if (est.has("multilabel_") && est.attr("multilabel_") === true) est.unsupported("multilabel one-vs-rest is not supported", ["attrs", "multilabel_"]);
  if (K < 3 || irs.length !== K)
    est.unsupported(`only 3 or more classes with one estimator each are supported (got ${K} classes, ${irs.length} estimators)`, at);
  const members = irs.map((ir, k): CompositeMember => {
    const cls = ests[k]!.cls;
    const expit =
      ir.transform === "lgb.sigmoid" && (ir.transformArg ?? 1) === 1 && ir.proba.kind === "binary" && ir.nOutputs === 1 && ir.outputDivisor === undefined;
    if (!DECISION_CLASSES.includes(cls) || !expit)
      est.unsupported(`member ${k} (${cls}): only binary estimators whose predict_proba is expit(decision_function) are supported`, [...at, k]);
    return { ir, use: "raw", slots: Int32Array.of(k) };
  });
  const model: CompositeModel = { kind: "composite", members, sum: "first" };
  const msg = checkComposite(model, nFeatures, K, probaWidth);
  if (msg) est.fail(msg, at, "E_SHAPE");
  const mp = memberParity(irs);
  const notes = ["an all-zero probability row (every expit underflowing) gives NaN where scikit-learn >= 1.8 keeps zeros"];
  if (!atLeast(est.ctx.sklearn, 1, 8)) notes.push("scikit-learn < 1.8 breaks ties in predict towards the last class; modelc takes the first");
  const wide = K >= 8;
  if (wide) notes.push("8 or more classes: the probabilities' row sum is numpy's pairwise sum here, sequential in scikit-learn for a batch");
  return {
    ...header,
    task: "multiclass",
    nFeatures,
    classes,
    inputCast: "float64",
    nOutputs: K,
    model,
    transform: "sk.ovr",
    transformArg: 0,
    decision: { kind: "argmax", on: "raw" },
    proba: { kind: "vector" },
    ...(wide ? { parity: { ulps: Math.max(4, mp.parity?.ulps ?? 0), ...(mp.parity?.dotProduct ? { dotProduct: true as const } : {}) } } : mp),
    notes,
    source: { ...header.source, objective: `${est.cls}(${irs.map((ir) => ir.source.objective).join(", ")})` },
  };
}

/** Integers in 0..limit-1 from the file (feature or class indices), checked before they become an Int32Array. */
function indices(values: readonly unknown[], limit: number, est: Est, at: (string | number)[], what: string): Int32Array {
  const bad = values.findIndex((v) => typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= limit);
  if (bad >= 0) est.fail(`${what} ${describe(values[bad])} is not an integer in 0..${limit - 1}`, at, "E_SHAPE");
  return Int32Array.from(values as number[]);
}

/** The widest rule of CPU-dependent members (BLAS, numpy's SIMD exp), which flow into the combination. */
function memberParity(irs: ModelIR[]): { parity?: { ulps: number; dotProduct?: true } } {
  const inexact = irs.flatMap((ir) => (ir.parity && ir.parity !== "exact" ? [ir.parity] : []));
  if (!inexact.length) return {};
  return {
    parity: {
      ulps: Math.max(4, ...inexact.map((p) => p.ulps)),
      ...(inexact.some((p) => p.dotProduct || p.absolute !== undefined) ? { dotProduct: true as const } : {}),
    },
  };
}

/** VotingClassifier/VotingRegressor _weights_not_none: the weights of the estimators that are not "drop". */
function votingWeights(est: Est, n: number): number[] | undefined {
  const w = est.param("weights");
  if (w === undefined || w === null) return undefined;
  const at = ["params", "weights"];
  const values = Array.isArray(w) ? w : numericData(readArray(w, est, at, 1), est, at);
  const spec = est.param("estimators");
  const kept = Array.isArray(spec) ? spec.map((e) => !(Array.isArray(e) && e[1] === "drop")) : values.map(() => true);
  if (kept.length !== values.length) est.fail(`expected ${kept.length} weights, got ${values.length}`, at, "E_SHAPE");
  const out = values.filter((_, i) => kept[i]);
  if (out.length !== n || !out.every((v) => typeof v === "number")) est.fail(`expected ${n} numeric weights, got ${describe(w)}`, at, "E_SHAPE");
  return out as number[];
}
