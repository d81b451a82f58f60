// What each XGBoost objective means for prediction: task, output transform, base-score link
// (ProbToMargin) and how the scikit-learn wrapper turns outputs into classes and probabilities.
// Sources: src/objective/regression_loss.h, regression_obj.cu, multiclass_obj.cu, hinge.cu,
// aft_obj.cu, rank_obj.cu; python-package/xgboost/sklearn.py (XGBClassifier.predict/predict_proba).

import type { Decision, ProbaRule, TransformName } from "../../ir/types.ts";
import type { OutputMeaning } from "../outputMeaning.ts";
import { logf } from "../../runtime/math/logf.ts";

export type MarginLink = "identity" | "logit" | "log";

/** What the objective's outputs mean, and the link that turns base_score into a margin. */
export type ObjectiveInfo = OutputMeaning & { link: MarginLink };

const value: Decision = { kind: "value" };
const none: ProbaRule = { kind: "none" };
const reg = (transform: TransformName, link: MarginLink): ObjectiveInfo => ({
  task: "regression",
  transform,
  link,
  decision: value,
  proba: none,
});

const TABLE: Record<string, ObjectiveInfo> = {
  "reg:squarederror": reg("identity", "identity"),
  "reg:linear": reg("identity", "identity"),
  "reg:squaredlogerror": reg("identity", "identity"),
  "reg:pseudohubererror": reg("identity", "identity"),
  "reg:absoluteerror": reg("identity", "identity"),
  "reg:quantileerror": reg("identity", "identity"),
  "reg:logistic": reg("xgb.sigmoid", "logit"),
  "count:poisson": reg("xgb.exp", "log"),
  "reg:gamma": reg("xgb.exp", "log"),
  "reg:tweedie": reg("xgb.exp", "log"),
  "survival:cox": { ...reg("xgb.exp", "log"), task: "survival" },
  "survival:aft": { ...reg("xgb.exp", "log"), task: "survival" },
  "rank:pairwise": { ...reg("identity", "identity"), task: "ranking" },
  "rank:ndcg": { ...reg("identity", "identity"), task: "ranking" },
  "rank:map": { ...reg("identity", "identity"), task: "ranking" },
  // The wrapper's predict: class 1 when the float32 output > 0.5 (sklearn.py XGBClassifier.predict).
  "binary:logistic": {
    task: "binary",
    transform: "xgb.sigmoid",
    link: "logit",
    decision: { kind: "threshold", on: "output", op: ">", value: 0.5 },
    proba: { kind: "binary", numberType: "float32" },
  },
  "binary:logitraw": {
    task: "binary",
    transform: "identity",
    link: "logit",
    decision: { kind: "threshold", on: "output", op: ">", value: 0.5 },
    proba: { kind: "binary", numberType: "float32" },
  },
  "binary:hinge": {
    task: "binary",
    transform: "xgb.hinge",
    link: "identity",
    decision: { kind: "threshold", on: "output", op: ">", value: 0.5 },
    proba: { kind: "binary", numberType: "float32" },
  },
  "multi:softprob": {
    task: "multiclass",
    transform: "xgb.softmax",
    link: "identity",
    decision: { kind: "argmax", on: "output" },
    proba: { kind: "vector" },
  },
  "multi:softmax": {
    task: "multiclass",
    transform: "identity",
    link: "identity",
    decision: { kind: "argmax", on: "raw" },
    proba: none,
  },
};

export function objectiveInfo(name: string): ObjectiveInfo | undefined {
  return Object.hasOwn(TABLE, name) ? TABLE[name] : undefined;
}

export const SUPPORTED_OBJECTIVES = Object.keys(TABLE);

/**
 * ProbToMargin of the objective, in float32 (learner.cc: base_score is stored in output space).
 * logistic: -logf(1/p - 1), clamped to [1e-6, 1-1e-6] from 3.2 (regression_loss.h LogisticRegression).
 */
export function baseMargin(link: MarginLink, p: number, version: readonly number[]): number {
  const f = Math.fround;
  p = f(p);
  switch (link) {
    case "identity":
      return p;
    case "log":
      return logf(p);
    case "logit": {
      if (versionAtLeast(version, 3, 2)) {
        const eps = f(1e-6);
        p = Math.min(Math.max(p, eps), f(1 - eps));
      }
      return f(-logf(f(f(1 / p) - 1)));
    }
  }
}

export function versionAtLeast(v: readonly number[], major: number, minor: number): boolean {
  const M = v[0] ?? 0;
  const m = v[1] ?? 0;
  return M > major || (M === major && m >= minor);
}
