// IsolationForest to the IR (sklearn/ensemble/_iforest.py _compute_score_samples): each tree's leaf
// holds its path length (decision path length + c(n_node_samples) - 1); raw = their float64 sum in
// estimators_ order; decision_function = -2^(-raw / (n_trees·c(max_samples))) - offset_; predict
// = 1 when decision_function >= 0, else -1. The module's predictRaw is decision_function, scoreSamples
// score_samples = -2^(-raw / …) (ir.outlier "scoreMinusOffset").

import { EnsembleBuilder } from "../../ir/builder.ts";
import type { ModelIR } from "../../ir/types.ts";
import { log } from "../../runtime/math/log.ts";
import { describe } from "../zodHelpers.ts";
import { numericData, readArray, type Est } from "./doc.ts";
import type { SkHeader } from "./skHeader.ts";
import { nodeDepths, readTree, treeInput, sklearnTreeOptions } from "./trees.ts";

const EULER_GAMMA = 0.5772156649015329;

/** _average_path_length for one value, with glibc log (numpy's np.log may differ by an ulp). */
function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2.0 * (log(n - 1.0) + EULER_GAMMA) - (2.0 * (n - 1.0)) / n;
}

export function importIsolationForest(est: Est, header: SkHeader): ModelIR {
  const nFeatures = est.nFeatures();
  const trees = est.estimators("estimators_");
  if (trees.length === 0) est.fail("expected at least one estimator, got 0", ["attrs", "estimators_"], "E_SHAPE");
  const offset = est.number("offset_");
  const maxSamples = est.has("_max_samples") ? est.number("_max_samples") : est.number("max_samples_");
  const maxFeatures = est.number("_max_features");
  const subsample = maxFeatures !== nFeatures;
  const featuresOf = (t: number): number[] | undefined => {
    if (!subsample) return undefined;
    const all = est.attr("estimators_features_");
    if (!Array.isArray(all)) est.fail(`expected a list of feature arrays, got ${describe(all)}`, ["attrs", "estimators_features_"]);
    return numericData(readArray((all as unknown[])[t], est, ["attrs", "estimators_features_", t], 1), est, ["attrs", "estimators_features_", t]);
  };
  const stored = est.has("_decision_path_lengths") && est.has("_average_path_length_per_tree");
  const perTree = (name: string, t: number): number[] => {
    const all = est.attr(name) as unknown[];
    return numericData(readArray(all[t], est, ["attrs", name, t], 1), est, ["attrs", name, t]);
  };
  const notes = [
    "decision_function = -2^(-x) - offset_: numpy's power and np.log are CPU-dependent; predict (the labels) is exact except at |decision_function| of an ulp",
  ];
  if (!stored) notes.push("path lengths c(n) computed with glibc log (scikit-learn < 1.3 uses np.log at predict time)");
  const b = new EnsembleBuilder(
    {
      ...header,
      task: "binary",
      nFeatures,
      nOutputs: 1,
      classes: [-1, 1],
      inputCast: "float32",
      transform: "sk.iforest",
      transformArg: offset,
      outputDivisor: trees.length * averagePathLength(maxSamples),
      decision: { kind: "threshold", on: "output", op: ">=", value: 0 },
      proba: { kind: "none" },
      outlier: { kind: "scoreMinusOffset" },
      // score_samples = -2^(-depth/c) goes through numpy's SIMD power (SVML on AVX-512 CPUs, which differs
      // from libm pow on ~5% of inputs): within 4 ulps of a value in [0.5, 1), i.e. 4·2^-53; decision_function
      // subtracts offset_, which cancels most of it, so that bound stays absolute
      parity: { ulps: 4, absolute: 4 * 2 ** -53 },
      notes,
    },
    sklearnTreeOptions({
      base: [0],
    }),
    est.ctx.file,
  );
  trees.forEach((t, i) => {
    const tree = readTree(t);
    const feats = featuresOf(i);
    if (feats) tree.feature = tree.feature.map((f) => (f >= 0 ? feats[f]! : f));
    let leafValue: (n: number) => number;
    if (stored) {
      const dpl = perTree("_decision_path_lengths", i);
      const apl = perTree("_average_path_length_per_tree", i);
      leafValue = (n) => dpl[n]! + apl[n]! - 1.0;
    } else {
      const depth = nodeDepths(tree);
      const samples = tree.nodeSamples;
      if (!samples) t.fail('missing field "n_node_samples"', ["attrs", "tree_", "tree"]);
      leafValue = (n) => depth[n]! + 1 + averagePathLength(samples![n]!) - 1.0;
    }
    b.addTree(
      treeInput(tree, 1, 0, (n) => [leafValue(n)]),
      tree.at.join("."),
    );
  });
  return b.build();
}
