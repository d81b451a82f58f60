// HistGradientBoostingClassifier/Regressor to the IR (sklearn/ensemble/_hist_gradient_boosting/
// _predictor.pyx _predict_one_from_raw_data, gradient_boosting.py _raw_predict): float64 input,
// x <= num_threshold, NaN by missing_go_to_left, raw = baseline + Σ leaf values iteration-major.
//
// Categorical splits: a value in the node's left bitset goes left; another known category goes
// right; anything else (NaN, negative, unknown) follows missing_go_to_left. With a categorical
// _preprocessor (newer scikit-learn) the input first goes through an OrdinalEncoder that keeps only
// exact known values and moves categorical columns first; the IR sets are over the original values.

import { EnsembleBuilder } from "../../ir/builder.ts";
import type { ModelIR } from "../../ir/types.ts";
import { describe } from "../zodHelpers.ts";
import { atLeast, nestedEstimator, numericData, readArray, type Est } from "./doc.ts";
import type { OutputMeaning } from "../outputMeaning.ts";
import type { SkHeader } from "./skHeader.ts";

interface Predictor {
  value: number[];
  featureIdx: number[];
  numThreshold: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  isLeaf: number[];
  isCategorical: number[];
  bitsetIdx: number[];
  bitsets: number[][];
}

/**
 * The `_preprocessor` of a model fitted on pandas categorical columns of strings (categorical_features="from_dtype"):
 * its OrdinalEncoder then runs as a pipeline step (src/importers/sklearn/encoders.ts) and the model reads the
 * category indices it gives (importHistGradientBoosting with `encoded`); undefined otherwise.
 */
export function stringCategoryPreprocessor(est: Est): Est | undefined {
  if (!est.has("_preprocessor")) return undefined;
  const pre = est.estimator("_preprocessor");
  const tr = pre.attr("transformers_");
  if (!Array.isArray(tr)) return undefined;
  for (const [i, t] of (tr as unknown[]).entries()) {
    if (!Array.isArray(t) || t[0] !== "encoder") continue;
    const enc = nestedEstimator(t[1], pre, ["attrs", "transformers_", i, 1]);
    const cats = enc.attr("categories_");
    if (Array.isArray(cats) && cats.some((c, j) => readArray(c, enc, ["attrs", "categories_", j], 1).data.some((x) => typeof x === "string"))) return pre;
  }
  return undefined;
}

export function importHistGradientBoosting(est: Est, header: SkHeader, encoded = false): ModelIR {
  const v = est.ctx.sklearn;
  const classifier = est.cls === "HistGradientBoostingClassifier";
  const nFeatures = est.nFeatures();
  const K = est.number("n_trees_per_iteration_");
  const baseline = est.numbers("_baseline_prediction");
  const loss = est.paramString("loss");
  let meaning: OutputMeaning;
  let classes: (number | string)[] | undefined;
  let parity: ModelIR["parity"];
  const notes: string[] = [];
  const rawDecision = atLeast(v, 1, 4); // predict from raw (> 0 / argmax) since 1.4; before argmax(predict_proba)
  if (classifier) {
    classes = est.classes();
    if (K === 1) {
      meaning = {
        task: "binary",
        transform: "lgb.sigmoid", // HalfBinomialLoss.predict_proba: scipy expit, [1 - p, p]
        transformArg: 1,
        decision: rawDecision ? { kind: "threshold", on: "raw", op: ">", value: 0 } : { kind: "threshold", on: "output", op: ">", value: 0.5 },
        proba: { kind: "binary", numberType: "float64" },
      };
    } else {
      meaning = {
        task: "multiclass",
        transform: "sk.softmax",
        decision: rawDecision ? { kind: "argmax", on: "raw" } : { kind: "argmax", on: "output" },
        proba: { kind: "vector" },
      };
      parity = { ulps: 4 };
      notes.push("predict_proba uses numpy's np.exp (CPU-dependent SIMD): parity within 4 ulps");
    }
  } else {
    const logLink = loss === "poisson" || loss === "gamma";
    if (!["squared_error", "absolute_error", "quantile", "poisson", "gamma", "least_squares", "least_absolute_deviation"].includes(loss))
      est.unsupported(`loss ${JSON.stringify(loss)} is not supported`, ["params", "loss"]);
    meaning = { task: "regression", transform: logLink ? "lgb.exp" : "identity", decision: { kind: "value" }, proba: { kind: "none" } };
    if (logLink) {
      parity = { ulps: 4 };
      notes.push("predict = np.exp(raw) (CPU-dependent SIMD): parity within 4 ulps");
    }
  }
  if (baseline.length !== K) est.fail(`expected ${K} baseline values, got ${baseline.length}`, ["attrs", "_baseline_prediction"], "E_SHAPE");

  // Column mapping and known categories.
  const cat = categoricalInfo(est, nFeatures, encoded);
  if (cat.rule.categoryLimit === 256 && !est.has("_preprocessor") && cat.any)
    notes.push("categorical values >= 256 follow the missing direction; scikit-learn < 1.4 casts them to uint8 (wrapping)");
  const b = new EnsembleBuilder(
    { ...header, ...meaning, nFeatures, nOutputs: K, classes, inputCast: "float64", parity, notes },
    {
      thresholdType: "float64",
      leafType: "float64",
      compare: "<=",
      zeroThreshold: 0,
      categorical: cat.rule,
      accumulate: "float64",
      base: baseline,
    },
    est.ctx.file,
  );
  const iters = est.attr("_predictors");
  if (!Array.isArray(iters)) est.fail(`expected a list of iterations, got ${describe(iters)}`, ["attrs", "_predictors"]);
  (iters as unknown[]).forEach((it, i) => {
    if (!Array.isArray(it) || it.length !== K) est.fail(`expected ${K} predictors, got ${describe(it)}`, ["attrs", "_predictors", i], "E_SHAPE");
    (it as unknown[]).forEach((p, k) => {
      const at = ["attrs", "_predictors", i, k, "predictor"];
      const pr = readPredictor(est, p, at);
      const left = pr.isLeaf.map((l, j) => (l ? -1 : pr.left[j]!));
      const right = pr.isLeaf.map((l, j) => (l ? -1 : pr.right[j]!));
      const feature = pr.featureIdx.map((f, j) => (pr.isLeaf[j] ? 0 : cat.original(f)));
      b.addTree(
        {
          left,
          right,
          feature,
          threshold: pr.numThreshold,
          defaultLeft: pr.missingLeft,
          categorical: pr.isCategorical,
          categoryValues: (node) => cat.leftSet(pr.featureIdx[node]!, pr.bitsets[pr.bitsetIdx[node]!]!, pr.missingLeft[node] === 1),
          leafValues: pr.value,
          leafSize: 1,
          output: k,
        },
        [...est.path, ...at].join("."),
        { left: "left", right: "right", feature: "feature_idx", threshold: "num_threshold", leaf: "value" },
      );
    });
  });
  return b.build();
}

function readPredictor(est: Est, p: unknown, at: (string | number)[]): Predictor {
  if (typeof p !== "object" || p === null || !("predictor" in p)) est.fail(`expected a predictor, got ${describe(p)}`, at.slice(0, -1));
  const o = (p as { predictor: Record<string, unknown> }).predictor;
  const f = (name: string) => numericData(readArray(o[name], est, [...at, name], 1), est, [...at, name]);
  const bits = readArray(o["raw_left_cat_bitsets"], est, [...at, "raw_left_cat_bitsets"], 2);
  const words = numericData(bits, est, [...at, "raw_left_cat_bitsets"]);
  const w = bits.shape[1]!;
  const bitsets: number[][] = [];
  for (let i = 0; i < bits.shape[0]!; i++) bitsets.push(words.slice(i * w, (i + 1) * w));
  return {
    value: f("value"),
    featureIdx: f("feature_idx"),
    numThreshold: f("num_threshold"),
    missingLeft: f("missing_go_to_left"),
    left: f("left"),
    right: f("right"),
    isLeaf: f("is_leaf"),
    isCategorical: f("is_categorical"),
    bitsetIdx: f("bitset_idx"),
    bitsets,
  };
}

function bitsOf(words: number[]): number[] {
  const out: number[] = [];
  words.forEach((w, i) => {
    for (let b = 0; b < 32; b++) if ((w >>> b) & 1) out.push(i * 32 + b);
  });
  return out;
}

/**
 * How tree feature indices map to input columns, and the IR category set of a categorical node:
 * the left bitset's values, plus every unknown category below the limit when missing goes left
 * (unknown categories follow the missing direction; known non-members go right).
 */
function categoricalInfo(est: Est, nFeatures: number, encoded: boolean) {
  const isCat = est.has("is_categorical_") ? est.numbers("is_categorical_", 1) : new Array<number>(nFeatures).fill(0);
  const catCols: number[] = [];
  const numCols: number[] = [];
  isCat.forEach((c, i) => (c ? catCols : numCols).push(i));
  if (est.has("_preprocessor")) {
    // OrdinalEncoder on categorical columns (first in the output), then the numeric ones
    const pre = est.estimator("_preprocessor");
    const tr = pre.attr("transformers_") as unknown[];
    const enc = Array.isArray(tr) ? (tr as unknown[][]).find((t) => Array.isArray(t) && t[0] === "encoder") : undefined;
    if (!enc) pre.unsupported('expected the categorical "encoder" transformer', ["attrs", "transformers_"]);
    const encIdx = (tr as unknown[][]).indexOf(enc!);
    const encEst = nestedEstimator(enc![1], pre, ["attrs", "transformers_", encIdx, 1]);
    if (encEst.cls !== "OrdinalEncoder") encEst.unsupported("expected an OrdinalEncoder", ["class"]);
    const cats = encEst.attr("categories_");
    if (!Array.isArray(cats)) encEst.fail(`expected a list of category arrays, got ${describe(cats)}`, ["attrs", "categories_"]);
    // `encoded`: the preprocessor ran as a pipeline step, the model reads category indices (NaN for missing and unknown)
    const categories: number[][] = (cats as unknown[]).map((c, i) =>
      encoded
        ? readArray(c, encEst, ["attrs", "categories_", i], 1).data.flatMap((x, k) => (typeof x === "number" && Number.isNaN(x) ? [] : [k]))
        : numericData(readArray(c, encEst, ["attrs", "categories_", i], 1), encEst, ["attrs", "categories_", i]).filter((x) => !Number.isNaN(x)),
    );
    if (categories.length !== catCols.length)
      encEst.fail(`expected ${catCols.length} category lists, got ${categories.length}`, ["attrs", "categories_"], "E_SHAPE");
    let limit = 1;
    categories.forEach((cs, i) => {
      for (const c of cs) {
        if (!(Number.isInteger(c) && c >= 0 && c < 1 << 24))
          encEst.unsupported(`category ${c} is not a non-negative integer (modelc compiles integer categories only)`, ["attrs", "categories_", i]);
        limit = Math.max(limit, c + 1);
      }
    });
    return {
      any: true,
      rule: { memberGoes: "left" as const, invalidGoes: "default" as const, categoryLimit: limit, truncateFirst: false, nonIntegerInvalid: true },
      original: (f: number) => (encoded ? f : f < catCols.length ? catCols[f]! : numCols[f - catCols.length]!),
      leftSet(f: number, words: number[], missingLeft: boolean): number[] {
        const cs = categories[f]!;
        const left = bitsOf(words)
          .map((e) => cs[e]!)
          .filter((x) => x !== undefined);
        if (!missingLeft) return left;
        const known = new Set(cs);
        for (let c = 0; c < limit; c++) if (!known.has(c)) left.push(c);
        return left;
      },
    };
  }
  // No preprocessor (< 1.4): raw values; x < 0 is missing; category = uint8(x); known categories = bin_thresholds_.
  // Values >= 256 wrap through the C cast in scikit-learn; modelc sends them the missing way (see notes).
  const bm = est.attr("_bin_mapper") as { dict?: Record<string, unknown> };
  if (!bm || typeof bm !== "object" || !bm.dict) est.fail("expected the bin mapper's attributes", ["attrs", "_bin_mapper"]);
  const thr = bm.dict!["bin_thresholds_"];
  const known: (Set<number> | undefined)[] = isCat.map((c, i) => {
    if (!c || !Array.isArray(thr)) return undefined;
    return new Set(
      numericData(readArray(thr[i], est, ["attrs", "_bin_mapper", "dict", "bin_thresholds_", i], 1), est, [
        "attrs",
        "_bin_mapper",
        "dict",
        "bin_thresholds_",
        i,
      ]),
    );
  });
  return {
    any: catCols.length > 0,
    rule: { memberGoes: "left" as const, invalidGoes: "default" as const, categoryLimit: 256, truncateFirst: false },
    original: (f: number) => f,
    leftSet(f: number, words: number[], missingLeft: boolean): number[] {
      const left = bitsOf(words).filter((c) => c < 256);
      if (!missingLeft) return left;
      const k = known[f] ?? new Set<number>();
      for (let c = 0; c < 256; c++) if (!k.has(c)) left.push(c);
      return left;
    },
  };
}
