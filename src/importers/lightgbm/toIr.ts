// LightGBM (text or JSON dump, as LgbModel) to the IR. One mapping for both forms, so they give
// identical IR. Semantics: include/LightGBM/tree.h (NumericalDecision, CategoricalDecision),
// src/boosting/gbdt_prediction.cpp (sum, average_output), src/objective/* (ConvertOutput).

import { CompileError } from "../../errors.ts";
import { EnsembleBuilder, type TreeFieldNames } from "../../ir/builder.ts";
import { MISSING_AS_ZERO, MISSING_DEFAULT, MISSING_ZERO, type Decision, type ModelIR, type ProbaRule } from "../../ir/types.ts";
import type { OutputMeaning } from "../outputMeaning.ts";
import { LGB_CATEGORICAL_MASK, LGB_DEFAULT_LEFT_MASK, lgbMissingType, type LgbModel } from "./model.ts";

/** kZeroThreshold = 1e-35f as a double (include/LightGBM/meta.h) */
export const LGB_ZERO_THRESHOLD = 1.0000000180025095e-35;

export interface LightgbmImportOptions {
  file?: string;
  name?: string;
  /** use trees of iterations [begin, end) only (LightGBM start_iteration / num_iteration) */
  iterationRange?: [number, number];
}

const value: Decision = { kind: "value" };
const none: ProbaRule = { kind: "none" };

function objectiveMeaning(objective: string, nOut: number, where: () => { file?: string; line?: number; path?: string }): OutputMeaning {
  const [name = "", ...params] = objective.trim().split(/\s+/);
  const param = (k: string): number | undefined => {
    const p = params.find((s) => s.startsWith(`${k}:`));
    return p === undefined ? undefined : Number(p.slice(k.length + 1));
  };
  const sqrt = params.includes("sqrt");
  switch (name) {
    case "regression":
    case "regression_l2":
    case "regression_l1":
    case "huber":
    case "fair":
    case "quantile":
    case "mape":
      return { task: "regression", transform: sqrt ? "lgb.square" : "identity", decision: value, proba: none };
    case "poisson":
    case "gamma":
    case "tweedie":
      return { task: "regression", transform: "lgb.exp", decision: value, proba: none };
    case "cross_entropy":
    case "xentropy":
      return { task: "regression", transform: "lgb.sigmoid", transformArg: 1, decision: value, proba: none };
    case "binary":
      return {
        task: "binary",
        transform: "lgb.sigmoid",
        transformArg: param("sigmoid") ?? 1,
        // LGBMClassifier.predict = argmax of [1 - p, p]: class 1 exactly when p > 0.5
        decision: { kind: "threshold", on: "output", op: ">", value: 0.5 },
        proba: { kind: "binary", numberType: "float64" },
      };
    case "multiclass":
    case "softmax":
      return { task: "multiclass", transform: "lgb.softmax", decision: { kind: "argmax", on: "output" }, proba: { kind: "vector" } };
    case "multiclassova":
    case "multiclass_ova":
    case "ova":
    case "ovr":
      return {
        task: "multiclass",
        transform: "lgb.sigmoid",
        transformArg: param("sigmoid") ?? 1,
        decision: { kind: "argmax", on: "output" },
        proba: { kind: "vector" },
      };
    case "lambdarank":
    case "rank_xendcg":
    case "xendcg":
    case "xe_ndcg":
    case "xe_ndcg_mart":
    case "xendcg_mart":
      return { task: "ranking", transform: "identity", decision: value, proba: none };
    case "":
    case "custom":
    case "none":
      return { task: nOut > 1 ? "multitarget" : "regression", transform: "identity", decision: value, proba: none };
    case "cross_entropy_lambda":
    case "xentlambda":
      // ConvertOutput is std::log(1.0f + std::exp(x)) in the source, compiled to exp then log1p in the released library
      return { task: "regression", transform: "lgb.log1pexp", decision: value, proba: none };
    default:
      throw new CompileError("E_UNSUPPORTED", `objective ${JSON.stringify(name)} is not supported`, where());
  }
}

const MULTICLASS_OBJECTIVES = ["multiclass", "softmax", "multiclassova", "multiclass_ova", "ova", "ovr"];

/**
 * num_class and num_tree_per_iteration as LightGBM sets them (GBDT::Init, Config::CheckParamConflict):
 * multiclass objectives grow num_class ≥ 2 trees per iteration, a custom objective (none) num_class,
 * every other objective one tree for num_class 1. A header contradicting that is refused, not read as
 * another model (num_class=65536 with one tree per iteration is not a 1-output regression).
 */
function checkClassCounts(m: LgbModel, K: number): void {
  const name = m.objective.trim().split(/\s+/)[0] ?? "";
  const C = m.numClass;
  const bad = (msg: string, field: string): never => {
    throw new CompileError("E_SHAPE", msg, m.where(field));
  };
  if (!(Number.isInteger(C) && C >= 1)) bad(`num_class must be a positive integer, got ${C}`, "num_class");
  if (MULTICLASS_OBJECTIVES.includes(name)) {
    if (C < 2) bad(`objective ${name} needs num_class ≥ 2, got ${C}`, "num_class");
    if (K !== C) bad(`objective ${name} grows num_class (${C}) trees per iteration, but num_tree_per_iteration is ${K}`, "num_tree_per_iteration");
    const declared = /(?:^|\s)num_class:(\S+)/.exec(m.objective)?.[1];
    if (declared !== undefined && Number(declared) !== C) bad(`objective says num_class:${declared}, the header num_class=${C}`, "objective");
  } else if (name === "" || name === "custom" || name === "none") {
    if (K !== C) bad(`num_tree_per_iteration (${K}) must equal num_class (${C}) for a custom objective`, "num_tree_per_iteration");
  } else if (C !== 1 || K !== 1) {
    bad(
      `objective ${name} has one output: num_class and num_tree_per_iteration must be 1, got ${C} and ${K}`,
      C !== 1 ? "num_class" : "num_tree_per_iteration",
    );
  }
}

const FIELDS: TreeFieldNames = { left: "left_child", right: "right_child", feature: "split_feature", threshold: "threshold", leaf: "leaf_value" };

export function lightgbmToIr(m: LgbModel, opts: LightgbmImportOptions = {}): ModelIR {
  const file = opts.file;
  const K = m.numTreePerIteration;
  if (!(Number.isInteger(K) && K >= 1 && K <= 1 << 16))
    throw new CompileError("E_SHAPE", `num_tree_per_iteration must be in 1..65536, got ${K}`, m.where("num_tree_per_iteration"));
  checkClassCounts(m, K);
  const nFeatures = m.maxFeatureIdx + 1;
  const nOut = K;
  const meaning = objectiveMeaning(m.objective, nOut, () => m.where("objective"));
  if (m.trees.length % K !== 0)
    throw new CompileError("E_SHAPE", `expected a multiple of ${K} trees (num_tree_per_iteration), got ${m.trees.length}`, m.where("tree_sizes"));
  const nIter = m.trees.length / K;
  const [b, e] = opts.iterationRange ?? [0, nIter];
  if (!(Number.isInteger(b) && Number.isInteger(e) && 0 <= b && b < e && e <= nIter))
    throw new CompileError("E_USAGE", `iteration range [${b}, ${e}) is outside the model's ${nIter} iterations`, { file });
  const notes: string[] = [];
  if (opts.iterationRange) notes.push(`trees of iterations [${b}, ${e}) only`);
  if (m.pandasCategorical !== undefined && m.pandasCategorical !== null)
    notes.push(`pandas_categorical: inputs of categorical features are the category codes (${JSON.stringify(m.pandasCategorical).slice(0, 200)})`);
  if (m.averageOutput) notes.push("average_output (rf): predict divides by the number of iterations, predictRaw does not");

  const task = meaning.task === "multiclass" && nOut < 2 ? "regression" : meaning.task;
  const classes = task === "binary" ? [0, 1] : task === "multiclass" ? Array.from({ length: nOut }, (_, i) => i) : undefined;
  const builder = new EnsembleBuilder(
    {
      irVersion: 1,
      name: opts.name ?? "model",
      task,
      nFeatures,
      featureNames: m.featureNames.length === nFeatures ? m.featureNames : undefined,
      classes,
      source: { library: "lightgbm", version: m.version, format: m.format, objective: m.objective },
      inputCast: "float64",
      inputZeroSnap: LGB_ZERO_THRESHOLD,
      nOutputs: nOut,
      transform: meaning.transform,
      transformArg: meaning.transformArg,
      outputDivisor: m.averageOutput ? e - b : undefined,
      decision: meaning.decision,
      proba: meaning.proba,
      notes,
    },
    {
      thresholdType: "float64",
      leafType: "float64",
      compare: "<=",
      zeroThreshold: LGB_ZERO_THRESHOLD,
      categorical: { memberGoes: "left", invalidGoes: "nonmember", categoryLimit: 2 ** 31, truncateFirst: true },
      accumulate: "float64",
      base: new Array(nOut).fill(0),
    },
    file,
  );

  for (let t = b * K; t < e * K; t++) {
    const tree = m.trees[t]!;
    const nI = tree.numLeaves - 1;
    const n = nI + tree.numLeaves;
    const node = (c: number) => (c >= 0 ? c : nI + ~c);
    const left = new Int32Array(n).fill(-1);
    const right = new Int32Array(n).fill(-1);
    const feature = new Int32Array(n);
    const threshold = new Float64Array(n);
    const defaultLeft = new Uint8Array(n);
    const missingMode = new Uint8Array(n);
    const categorical = new Uint8Array(n);
    const leafValues = new Float64Array(n);
    const cats = new Map<number, number[]>();
    const where = (field: string, i?: number) => ({ file, ...tree.where(field, i) });
    for (let i = 0; i < nI; i++) {
      const l = tree.leftChild[i]!;
      const r = tree.rightChild[i]!;
      if (!(l >= -tree.numLeaves && l < nI) || !(r >= -tree.numLeaves && r < nI))
        throw new CompileError(
          "E_SHAPE",
          `tree ${t}: child of node ${i} out of range (expected -${tree.numLeaves}..${nI - 1}, got ${l < nI && l >= -tree.numLeaves ? r : l})`,
          where("left_child", i),
        );
      left[i] = node(l);
      right[i] = node(r);
      feature[i] = tree.splitFeature[i]!;
      const dt = tree.decisionType[i]!;
      defaultLeft[i] = dt & LGB_DEFAULT_LEFT_MASK ? 1 : 0;
      if (dt & LGB_CATEGORICAL_MASK) {
        categorical[i] = 1;
        defaultLeft[i] = 0; // NaN goes right at categorical nodes (CategoricalDecision)
        const ci = tree.threshold[i]!;
        const bnd = tree.catBoundaries;
        if (!(Number.isInteger(ci) && ci >= 0 && ci + 1 < bnd.length))
          throw new CompileError(
            "E_SHAPE",
            `tree ${t}: categorical split ${i} names bitset ${ci}, but there are ${Math.max(bnd.length - 1, 0)}`,
            where("threshold", i),
          );
        const lo = bnd[ci]!;
        const hi = bnd[ci + 1]!;
        if (!(lo >= 0 && lo <= hi && hi <= tree.catThreshold.length))
          throw new CompileError("E_SHAPE", `tree ${t}: bad bitset bounds ${lo}..${hi} for ${tree.catThreshold.length} words`, where("cat_boundaries", ci));
        const values: number[] = [];
        for (let w = lo; w < hi; w++) {
          const word = tree.catThreshold[w]!;
          if (!(Number.isInteger(word) && word >= 0 && word <= 0xffffffff))
            throw new CompileError("E_SHAPE", `tree ${t}: bitset word ${w} is not a uint32 (got ${word})`, where("cat_threshold", w));
          for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) values.push((w - lo) * 32 + bit);
        }
        cats.set(i, values);
      } else {
        threshold[i] = tree.threshold[i]!;
        const mt = lgbMissingType(dt);
        missingMode[i] = mt === 0 ? MISSING_AS_ZERO : mt === 1 ? MISSING_ZERO : mt === 2 ? MISSING_DEFAULT : 255;
        if (mt === 3) throw new CompileError("E_SHAPE", `tree ${t}: decision_type ${dt} has an unknown missing type`, where("decision_type", i));
      }
    }
    for (let j = 0; j < tree.numLeaves; j++) leafValues[nI + j] = tree.leafValue[j]!;
    const lin = tree.linear;
    builder.addTree(
      {
        left,
        right,
        feature,
        threshold,
        defaultLeft,
        missingMode,
        categorical,
        categoryValues: (i) => cats.get(i),
        leafValues,
        leafSize: 1,
        output: t % K,
        linear: lin
          ? (nodeId) => {
              const j = nodeId - nI;
              return { constant: lin.constant[j]!, features: lin.features[j] ?? [], coeffs: lin.coeffs[j] ?? [] };
            }
          : undefined,
      },
      m.format === "lightgbm-json" ? `$.tree_info[${t}]` : `Tree=${t}`,
      FIELDS,
    );
  }
  return builder.build();
}
