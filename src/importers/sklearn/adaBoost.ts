// AdaBoostClassifier to the IR (sklearn/ensemble/_weight_boosting.py decision_function): each tree
// adds a vector by its predicted class, the sum (from 0, in estimators_ order) is divided once by
// estimator_weights_.sum() (numpy's pairwise sum, over every weight).
//   SAMME (>= 1.5; checked on 1.5.2 and 1.9.1): w for the predicted class, (-1 / (K - 1))·w for the others; binary problems
//     return column 1 minus column 0 = 2·column 1 exactly, so a leaf adds ±2w.
//   SAMME (< 1.4): w for the predicted class, 0 for the others (multiclass only here).
//   SAMME.R (< 1.6, multiclass): (K - 1)·(log p - (1/K)·Σ log p) of the tree's clipped probabilities (np.log).
// predict_proba = softmax(decision / (K - 1)) for K > 2, softmax([-d / 2, d / 2]) for K = 2
// (_compute_proba_from_decision).

import { EnsembleBuilder } from "../../ir/builder.ts";
import type { ModelIR } from "../../ir/types.ts";
import { log } from "../../runtime/math/log.ts";
import { skPairwiseSum } from "../../runtime/skSoftmax.ts";
import { atLeast, type Est } from "./doc.ts";
import type { SkHeader } from "./skHeader.ts";
import { nodeValues, readTree, treeInput, sklearnTreeOptions } from "./trees.ts";

const F64_EPS = 2.220446049250313e-16;

/**
 * AdaBoostRegressor (_weight_boosting.py _get_median_predict): each tree's prediction (features cast to float32,
 * double thresholds), the weighted median with estimator_weights_ (the first len(estimators_) of them: boosting
 * that stops early leaves zeros after) — the IR's weightedMedian aggregate. np.argsort's default sort is not
 * stable: tied predictions are summed in its order (modelc: tree order), which only changes the rounding of the
 * cumulative weights.
 */
export function importAdaBoostRegressor(est: Est, header: SkHeader): ModelIR {
  const trees = est.estimators("estimators_");
  if (trees.length === 0) est.fail("expected at least one estimator, got 0", ["attrs", "estimators_"], "E_SHAPE");
  const allWeights = est.numbers("estimator_weights_", 1);
  if (allWeights.length < trees.length)
    est.fail(`expected at least ${trees.length} estimator weights, got ${allWeights.length}`, ["attrs", "estimator_weights_"], "E_SHAPE");
  const weights = Float64Array.from(allWeights.slice(0, trees.length));
  const b = new EnsembleBuilder(
    {
      ...header,
      task: "regression",
      nFeatures: est.nFeatures(),
      nOutputs: 1,
      inputCast: "float32",
      transform: "identity",
      decision: { kind: "value" },
      proba: { kind: "none" },
      notes: ["predict = the weighted median of the trees' predictions (ties in tree order)"],
    },
    sklearnTreeOptions({
      base: [0],
      aggregate: { kind: "weightedMedian", weights },
    }),
    est.ctx.file,
  );
  trees.forEach((t) => {
    const tree = readTree(t);
    if (tree.width !== 1) t.fail(`expected one value per node (single-output regression), got ${tree.width}`, ["attrs", "tree_"], "E_SHAPE");
    b.addTree(
      treeInput(tree, 1, 0, (n) => [nodeValues(tree, n, 0, 1)[0]!]),
      tree.at.join("."),
    );
  });
  return b.build();
}

export function importAdaBoost(est: Est, header: SkHeader): ModelIR {
  const v = est.ctx.sklearn;
  if (est.cls === "AdaBoostRegressor") return importAdaBoostRegressor(est, header);
  const classes = est.classes();
  const K = classes.length;
  const algorithm = est.param("algorithm");
  const sammeR = !atLeast(v, 1, 6) && algorithm === "SAMME.R";
  const modern = atLeast(v, 1, 5); // SAMME with -w/(K-1) for the other classes
  if (!modern && atLeast(v, 1, 4) && !sammeR)
    est.unsupported(`SAMME in scikit-learn ${v.join(".")} is not supported (1.2-1.3 and >= 1.5 are checked)`, ["class"]);
  if (K === 2 && (sammeR || !modern))
    est.unsupported("binary SAMME.R, and binary SAMME before scikit-learn 1.5, are not supported (column 1 minus column 0 of two separate sums)", [
      "attrs",
      "classes_",
    ]);
  const trees = est.estimators("estimators_");
  const weights = est.numbers("estimator_weights_", 1);
  const total = 0 + skPairwiseSum(weights, 0, weights.length);
  const nFeatures = est.nFeatures();
  const nOut = K === 2 ? 1 : K;
  const notes: string[] = [];
  // predict_proba goes through extmath.softmax's np.exp (CPU-dependent SIMD)
  let parity: ModelIR["parity"] = { ulps: 4 };
  if (K > 2) notes.push("predict_proba = softmax(decision / (K - 1)) through np.exp (CPU-dependent SIMD)");
  else notes.push("predict_proba = softmax([-d / 2, d / 2]) through np.exp (CPU-dependent SIMD)");
  if (sammeR) {
    // np.log errors of every leaf vector add up (5 ulps in the decision over 25 trees); softmax then
    // amplifies that absolute error (41 ulps seen in probabilities near 1e-5)
    parity = { ulps: 64 };
    notes.push("SAMME.R leaf vectors use np.log at predict time (CPU-dependent SIMD); modelc uses glibc log");
  }
  const b = new EnsembleBuilder(
    {
      ...header,
      task: K === 2 ? "binary" : "multiclass",
      nFeatures,
      nOutputs: nOut,
      classes,
      inputCast: "float32",
      transform: K === 2 ? "identity" : "sk.softmax",
      outputDivisor: K === 2 ? undefined : K - 1,
      decision: K === 2 ? { kind: "threshold", on: "raw", op: ">", value: 0 } : { kind: "argmax", on: "raw" },
      proba: K === 2 ? { kind: "softmaxHalves" } : { kind: "vector" },
      parity,
      notes,
    },
    sklearnTreeOptions({
      base: new Array(nOut).fill(0),
      divisor: total,
    }),
    est.ctx.file,
  );
  const other = -1 / (K - 1);
  trees.forEach((t, i) => {
    const tree = readTree(t);
    if (tree.width < K) t.fail(`expected ${K} class values per node, got ${tree.width}`, ["attrs", "tree_"], "E_SHAPE");
    const w = weights[i]!;
    b.addTree(
      treeInput(tree, nOut, 0, (n) => {
        const vals = nodeValues(tree, n, 0, K);
        if (sammeR) {
          // _samme_proba: predict_proba (counts normalized before 1.4), clipped at eps, np.log
          let s = 0 + skPairwiseSum(vals, 0, K);
          if (s === 0) s = 1;
          const lp = vals.map((x) => log(Math.max(x / s, F64_EPS)));
          const mean = (1.0 / K) * (0 + skPairwiseSum(lp, 0, K));
          return lp.map((l) => (K - 1) * (l - mean));
        }
        let c = 0;
        for (let k = 1; k < K; k++) if (vals[k]! > vals[c]!) c = k;
        if (K === 2) return [c === 1 ? 2 * w : -2 * w];
        return Array.from({ length: K }, (_, k) => (k === c ? w : modern ? other * w : 0));
      }),
      tree.at.join("."),
    );
  });
  return b.build();
}
