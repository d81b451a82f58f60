// XGBoost's and LightGBM's scikit-learn wrappers in a modelc_export document (FORMAT.md, "Boosting
// library wrappers"): the library's own model inside `attrs._Booster`, read by that library's importer,
// with the wrapper's class labels and the document's feature names.

import { CompileError } from "../../errors.ts";
import type { ModelIR } from "../../ir/types.ts";
import { readLightgbmText } from "../lightgbm/readText.ts";
import { lightgbmToIr } from "../lightgbm/toIr.ts";
import { importXgboost } from "../xgboost/importXgboost.ts";
import type { Est } from "./doc.ts";
import type { SkHeader } from "./skHeader.ts";

export const BOOSTER_WRAPPER_CLASSES = [
  "XGBClassifier",
  "XGBRegressor",
  "XGBRanker",
  "XGBRFClassifier",
  "XGBRFRegressor",
  "LGBMClassifier",
  "LGBMRegressor",
  "LGBMRanker",
];

export function importBoosterWrapper(est: Est, header: SkHeader): ModelIR {
  const booster = est.attr("_Booster");
  if (typeof booster !== "object" || booster === null || Array.isArray(booster))
    return est.fail("expected { xgboost_model } or { lightgbm_model }", ["attrs", "_Booster"]);
  const b = booster as Record<string, unknown>;
  const opts = { file: est.ctx.file, name: header.name, lenient: !est.ctx.strict };
  let ir: ModelIR;
  if ("xgboost_model" in b) ir = nested(est, ["attrs", "_Booster", "xgboost_model"], () => importXgboost(b["xgboost_model"], opts));
  else if (typeof b["lightgbm_model"] === "string") {
    const text = b["lightgbm_model"];
    ir = nested(est, ["attrs", "_Booster", "lightgbm_model"], () => lightgbmToIr(readLightgbmText(text, est.ctx.file), opts));
  } else return est.fail("expected { xgboost_model } or { lightgbm_model: string }", ["attrs", "_Booster"]);
  if (est.has("classes_") && ir.classes) {
    const labels = est.classes();
    if (labels.length !== ir.classes.length) est.fail(`expected ${ir.classes.length} class labels, got ${labels.length}`, ["attrs", "classes_"], "E_SHAPE");
    ir = { ...ir, classes: labels };
  }
  const nIn = est.nFeatures();
  if (nIn !== ir.nFeatures) est.fail(`n_features_in_ is ${nIn}, the booster reads ${ir.nFeatures} features`, ["attrs", "n_features_in_"], "E_SHAPE");
  return { ...ir, featureNames: header.featureNames ?? ir.featureNames, source: { ...ir.source, objective: `${est.cls}(${ir.source.objective ?? ""})` } };
}

/** The booster's own errors, located inside the document: `$.estimator.attrs._Booster.xgboost_model.learner…`. */
function nested<T>(est: Est, at: (string | number)[], fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    const inner = e.location.path;
    const prefix = est.path.concat(at).reduce<string>((p, s) => (typeof s === "number" ? `${p}[${s}]` : `${p}.${s}`), "$");
    const where = inner ? prefix + inner.slice(1) : e.location.line !== undefined ? `${prefix} (line ${e.location.line})` : prefix;
    throw new CompileError(e.code, e.message, { file: est.ctx.file, path: where }, e.hint);
  }
}
