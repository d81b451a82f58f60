// The intermediate representation: one typed form for tree ensembles and linear models that
// records every numeric rule needed to reproduce a library's predictions exactly.
// src/ir imports nothing from importers or emitters.

export type NumberType = "float32" | "float64";

/** How a node compares the (cast) feature value with its threshold to go left. */
export type CompareOp = "<" | "<=";

export type Task = "regression" | "binary" | "multiclass" | "multitarget" | "ranking" | "survival" | "multioutput"; // several classification outputs (outputClasses)

/**
 * What happens to a missing (NaN) value at a numeric node (Tree.missingMode).
 * - MISSING_DEFAULT: NaN follows the node's default direction (XGBoost, scikit-learn, LightGBM NaN type).
 * - MISSING_AS_ZERO: NaN is replaced by 0 and compared (LightGBM missing type None).
 * - MISSING_ZERO: NaN becomes 0, and |x| <= zeroThreshold follows the default direction (LightGBM Zero).
 */
export const MISSING_DEFAULT = 0;
export const MISSING_AS_ZERO = 1;
export const MISSING_ZERO = 2;

export const NODE_LEAF = 0;
export const NODE_NUMERIC = 1;
export const NODE_CATEGORICAL = 2;

/**
 * One tree, struct-of-arrays, nodes in preorder: node 0 is the root and the left child of an
 * internal node n is always n + 1 (the builder lays trees out this way).
 */
export interface Tree {
  nNodes: number;
  /** NODE_LEAF, NODE_NUMERIC or NODE_CATEGORICAL */
  kind: Uint8Array;
  /** feature index; -1 at leaves */
  feature: Int32Array;
  /** threshold of numeric nodes (a float32 value when the ensemble's thresholdType is float32); 0 elsewhere */
  threshold: Float64Array;
  /** right child index; -1 at leaves (left child is n + 1) */
  right: Int32Array;
  /** 1 when missing values go left */
  defaultLeft: Uint8Array;
  /** MISSING_DEFAULT, MISSING_AS_ZERO or MISSING_ZERO per numeric node */
  missingMode: Uint8Array;
  /** index into `categories` for categorical nodes; -1 elsewhere */
  catSet: Int32Array;
  /** leaf index at leaves (0..nLeaves-1, preorder); -1 elsewhere */
  leafIndex: Int32Array;
  nLeaves: number;
  /** leaf values, nLeaves × leafSize, row-major */
  leafValues: Float64Array;
  leafSize: number;
  /** output slot this tree adds to (scalar leaves); 0 for vector leaves, which add to slots 0..leafSize-1 */
  output: number;
  /** linear leaves (LightGBM linear_tree): replaces a leaf's value unless one of its features is NaN */
  linear?: LinearLeaves;
}

/**
 * Linear leaf models, by leaf index: value = const + Σ coeff·x (in order, double) over the leaf's
 * features, or the plain leaf value when any of those features is NaN (LightGBM tree.h Predict).
 */
export interface LinearLeaves {
  constant: Float64Array;
  /** features of leaf l are features[start[l] … start[l+1]) */
  start: Int32Array;
  features: Int32Array;
  coeffs: Float64Array;
}

/** A categorical split's set of category values (sorted, distinct, non-negative integers). */
export interface CategorySet {
  values: Int32Array;
}

export interface TreeEnsemble {
  kind: "trees";
  trees: Tree[];
  categories: CategorySet[];
  /** number type of thresholds and leaf values as the library stores them */
  thresholdType: NumberType;
  leafType: NumberType;
  compare: CompareOp;
  /** |x| <= zeroThreshold counts as zero at MISSING_ZERO nodes (LightGBM kZeroThreshold) */
  zeroThreshold: number;
  /**
   * Categorical split semantics: x is cast, NaN follows the default direction; a value is "invalid"
   * when it is < 0 or >= categoryLimit, tested on x itself (XGBoost) or on trunc(x) (LightGBM,
   * `truncateFirst`); otherwise its category is trunc(x). Members go `memberGoes`, non-members the
   * other way; invalid values go like non-members or follow the default direction. With
   * `nonIntegerInvalid`, a value with a fractional part is invalid as well.
   */
  categorical: {
    memberGoes: "left" | "right";
    invalidGoes: "nonmember" | "default";
    categoryLimit: number;
    truncateFirst: boolean;
    /** values that are not integers are invalid too (exact category matching, e.g. scikit-learn's OrdinalEncoder) */
    nonIntegerInvalid?: boolean;
  };
  /** accumulator precision: float32 rounds after every addition (XGBoost) */
  accumulate: NumberType;
  /** starting value of each output slot, in margin space, exact in `accumulate` */
  base: number[];
  /** when set, each slot's sum is divided by this once at the end (averaging forests) */
  divisor?: number;
  /**
   * How the trees' values combine when they are not summed. "weightedMedian" (scikit-learn AdaBoostRegressor
   * _get_median_predict): every tree is scalar (leafSize 1, output 0, no linear leaves), nOutputs is 1, and the
   * raw score is the value of tree i at the first position, in the trees' values sorted ascending (ties in tree
   * order), whose cumulative weight (weights[i], summed sequentially in that order) is >= 0.5 · the total;
   * src/runtime/weightedMedian.ts. `base` (0) and `divisor` (unset) are unused.
   */
  aggregate?: { kind: "weightedMedian"; weights: Float64Array };
}

export interface LinearModel {
  kind: "linear";
  /** weights, nFeatures × nOutputs, feature-major (weight of feature i for output g at i·nOutputs+g) */
  weights: Float64Array;
  /** bias per output, already including any base margin */
  bias: number[];
  /**
   * "float32": acc = f32(bias); for each feature in order, if x not missing, acc = f32(acc + f32(x·w)) (XGBoost gblinear).
   * "float64": acc = bias + Σ x·w in double, sequentially, missing values propagate NaN.
   */
  accumulate: NumberType;
  /** "skip": missing features contribute nothing (XGBoost); "propagate": NaN flows into the result */
  missing: "skip" | "propagate";
}

/**
 * Kernel machines (libsvm, svm.cpp predict_values): k_i = K(x, sv_i) for every support vector, in
 * double: linear x·sv, poly powi(γ·x·sv + coef0, degree) (square-and-multiply), rbf exp(-γ·Σ(x-sv)²)
 * (differences, then their sum of squares), sigmoid tanh(γ·x·sv + coef0); dot products sequential.
 * - form "single": d = Σ coef[i]·k_i (sequential from 0) + intercept[0] (regression, one-class).
 * - form "ovo": for class pairs i < j in order, d_p = Σ over class i's vectors of coef[(j-1)·nSV + s]·k_s,
 *   then over class j's vectors of coef[i·nSV + s]·k_s, + intercept[p] (libsvm's sv_coef layout;
 *   class c's vectors are the counts[c] after those of classes < c).
 * Raw scores: "single" d; "pairs" the d_p; "negate" -d_0 (binary); "ovr" scikit-learn's
 * _ovr_decision_function: votes (i when d_p >= 0, else j) + s / (3·(|s| + 1)) with s the sum of
 * confidences (-d_p subtracted for i, added for j, in pair order).
 */
export interface KernelModel {
  kind: "kernel";
  kernel: "linear" | "poly" | "rbf" | "sigmoid";
  gamma: number;
  coef0: number;
  degree: number;
  nSV: number;
  /** support vectors, nSV × model width, row-major */
  vectors: Float64Array;
  form: "single" | "ovo";
  /** support vectors per class (form "ovo") */
  counts: Int32Array;
  /** coefficients: nSV (single) or (nClasses - 1) × nSV (ovo) */
  coef: Float64Array;
  /** added to each decision (libsvm subtracts rho = -intercept) */
  intercept: Float64Array;
  rawShape: "single" | "pairs" | "negate" | "ovr";
}

/** A hidden-layer activation of a multi-layer perceptron (scikit-learn neural_network/_base.py ACTIVATIONS). */
export type MlpActivation = "identity" | "logistic" | "tanh" | "relu";

/** One dense layer: z_j = (Σ_i a_i·weights[i·nOut + j], sequential from 0) + bias[j], in double. */
export interface MlpLayer {
  nIn: number;
  nOut: number;
  /** nIn × nOut, row-major (scikit-learn's coefs_[l] as stored) */
  weights: Float64Array;
  bias: Float64Array;
}

/**
 * Multi-layer perceptrons (scikit-learn MLPClassifier/MLPRegressor, _multilayer_perceptron.py _forward_pass_fast):
 * the layers in order, each hidden layer's z through `hidden` (identity; logistic 1 / (1 + exp(-z)), glibc exp as
 * scipy's expit; tanh as V8's Math.tanh (fdlibm); relu: z > 0 or NaN ? z : +0, as np.maximum(z, 0)). The raw scores are
 * the last layer's z (its pre-activation); the output activation is the IR's transform (identity, lgb.sigmoid with
 * argument 1 = expit, sk.softmax, lgb.exp). The library's products go through BLAS: parity.dotProduct.
 */
export interface MlpModel {
  kind: "mlp";
  layers: MlpLayer[];
  hidden: MlpActivation;
}

/**
 * k nearest neighbours over the stored training set (scikit-learn KNeighborsClassifier / KNeighborsRegressor),
 * src/runtime/knn.ts: every training row's distance to the row, pushed in training order into scikit-learn's
 * fixed-size max-heap (utils/_heap.pyx heap_push: a value >= the heap's maximum is dropped), the k kept sorted by
 * simultaneous_sort ("introsort" >= 1.9, "quicksort" before), then weighted and combined.
 * - metric "euclideanGemm" (EuclideanArgKmin, brute force): s = max(0, (‖x‖² + -2·(x·y)) + ‖y‖²) with every dot
 *   product a chain of fused multiply-adds from 0 (the BLAS kernels), d = sqrt(s); "euclidean": s = Σ (xᵢ - yᵢ)² in
 *   order, d = sqrt(s) (ArgKminClassMode, kd_tree, ball_tree); "manhattan": d = Σ |xᵢ - yᵢ| in order.
 * - weights "uniform" 1, "distance" 1 / d; a row with an infinite 1 / d keeps 1 for those neighbours, 0 for the rest.
 * - classifier (labels set): the outputs are predict_proba (weights added per class in neighbour order, divided by
 *   their numpy pairwise sum), the decision "vote" the class predict gives (uniform: first maximum; distance:
 *   weighted_mode, per class the pairwise sum of the k weights with 0 for other classes, first strictly greater).
 * - regressor (targets set): uniform np.mean (pairwise sum for one target, neighbour order for several, / k);
 *   distance Σ y·w / Σ w, both pairwise sums.
 */
export interface NeighborsModel {
  kind: "neighbors";
  nSamples: number;
  /** training rows, nSamples × model width, row-major */
  X: Float64Array;
  metric: "euclideanGemm" | "euclidean" | "manhattan";
  k: number;
  weights: "uniform" | "distance";
  sort: "introsort" | "quicksort";
  /**
   * scikit-learn's chunking strategy (_base.pyx.tp): "parallelOnY" (predicting fewer rows than the training samples,
   * one thread or one chunk of at most 256 training rows) merges the heap into a fresh one before sorting, which
   * orders exactly tied neighbours differently from "parallelOnX" (large batches; ArgKminClassMode always)
   */
  strategy: "parallelOnX" | "parallelOnY";
  /** the heap's empty slots (1.7976931348623157e308 in ArgKmin, Infinity in kd_tree / ball_tree): larger distances never enter */
  emptyDistance: number;
  /** classifiers: class index (into ir.classes, nOutputs classes) of each training row */
  labels?: Int32Array;
  /** regressors: targets, nSamples × nOutputs, row-major */
  targets?: Float64Array;
  /** how scikit-learn found the neighbours (_fit_method: brute, kd_tree, ball_tree), for inspect and parity */
  algorithm: string;
}

/**
 * A meta-estimator (scikit-learn Voting*, Bagging*, Stacking*): complete member models over the parent's model input
 * (the row after the parent's preprocess and cast), combined slot by slot; src/ir/composite.ts is its meaning. Each
 * member contributes, in member order:
 * - use "predict": its predict value (a single-output regressor, or a class label that is a number) to slot slots[0]
 *   (default 0);
 * - use "proba": its predictProba vector, column j to slot slots[j] (default j; a negative slot drops the column:
 *   BaggingClassifier's class alignment, Stacking's dropped first column of binary probabilities);
 * - use "raw": its predictRaw values (decision_function), value j to slot slots[j] (default j);
 * - use "vote": 1 to the slot its predict returns (a class index: the member's labels are 0..nOutputs-1).
 * A contribution is multiplied by the member's `weight` when it has one (one double product). Per slot: with
 * sum "zero" acc = 0 then acc += c in member order (Python's sum, np.bincount, `proba +=`); with "first" acc = c of
 * the first member, then acc += c (numpy's add.reduce over a non-contiguous axis); then acc / divisor when set, then
 * acc + offset[k] when set (TransformedTargetRegressor's StandardScaler: y · scale_ as the weight, then + mean_).
 * Without `final` the slots (nOutputs of them) are the composite's raw scores. With `final` (Stacking) they are the
 * first `final.width` values of the final model's row, followed by the parent's model input when `passthrough`; the
 * composite's raw scores are the final model's predictRaw of that row (its transform, decision and proba rules are
 * the parent's).
 */
export interface CompositeModel {
  kind: "composite";
  members: CompositeMember[];
  sum: "zero" | "first";
  divisor?: number;
  offset?: number[];
  final?: { ir: ModelIR; width: number; passthrough: boolean };
  /**
   * CalibratedClassifierCV's _CalibratedClassifier.predict_proba: the slots (one per calibrator: the base estimator's
   * decision_function or predict_proba columns) each through its calibrator into class `classOf[j]` of nOutputs
   * zeros; then "binary": p[0] = 1 - p[1]; "sum": d = numpy's pairwise sum of p, p / d (all 1/nOutputs when d = 0);
   * then any p with 1 < p <= 1 + 1e-5 becomes 1. The result is the composite's raw scores.
   */
  calibrate?: { maps: CalibrationMap[]; classOf: Int32Array; normalize: "binary" | "sum" };
}

/**
 * One calibrator: "sigmoid" expit(-(a·t + b)) (scipy expit: 1 / (1 + exp(-x)), glibc exp); "isotonic" (scipy's
 * interp1d, which calls np.interp for float64, after np.clip(t, lo, hi)): NaN stays NaN; j = the last index with
 * x[j] <= t; t below x[0] gives y[0], above the last x or at it y[n-1]; t == x[j] gives y[j]; otherwise slope =
 * (y[j+1] - y[j]) / (x[j+1] - x[j]) and slope · (t - x[j]) + y[j] (NaN: slope · (t - x[j+1]) + y[j+1], and y[j]
 * when that is NaN too and y[j] == y[j+1]).
 */
export type CalibrationMap = { kind: "sigmoid"; a: number; b: number } | { kind: "isotonic"; x: Float64Array; y: Float64Array; lo: number; hi: number };

export interface CompositeMember {
  ir: ModelIR;
  /** the member's row is these columns of the parent's model input, in this order (Bagging estimators_features_) */
  features?: Int32Array;
  use: "predict" | "proba" | "raw" | "vote";
  slots?: Int32Array;
  weight?: number;
}

/**
 * Post-transforms from raw scores to the library's output, by name. Each name is implemented
 * once in src/runtime and used by both the evaluator and every emitter.
 */
export type TransformName =
  | "identity"
  | "xgb.sigmoid" // XGBoost >= 1.6: z = min(-x, 88.7f); 1 / ((expf(z) + 1) + 1e-16f), float32
  | "xgb.sigmoid.legacy" // XGBoost < 1.6: 1 / (1 + expf(-x)), float32
  | "xgb.softmax" // XGBoost softprob: float32 with a double sum
  | "xgb.exp" // expf
  | "xgb.hinge" // x > 0 ? 1 : 0
  | "xgb.sort" // row's outputs sorted ascending (quantile regression, XGBoost >= 3.4)
  | "lgb.sigmoid" // 1 / (1 + exp(-s·x)) per output, double, glibc exp; s = transformArg (default 1)
  | "lgb.softmax" // max-subtract, exp, sequential sum, divide (LightGBM common.h Softmax)
  | "lgb.exp" // exp, double (poisson, gamma, tweedie)
  | "sk.expm1" // expm1 per output, double (TransformedTargetRegressor inverse_func np.expm1; fdlibm's, as V8's Math.expm1)
  | "lgb.square" // sign(x)·x² (regression with reg_sqrt)
  | "lgb.log1pexp" // log1p(exp(x)), double, glibc exp and log1p (cross_entropy_lambda)
  | "sk.softmax" // numpy softmax: NaN-propagating max, exp(x - max), numpy pairwise sum, divide; transformArg 2: exp(x - logsumexp(x))
  | "sk.modhuber" // (clip(x, -1, 1) + 1) / 2 per output; several outputs divided by their numpy pairwise sum (zero: uniform)
  | "sk.iforest" // -2^(-x) - transformArg: IsolationForest decision_function from the normalized path length
  | "sk.ovr"; // expit per output divided by the numpy pairwise row sum; transformArg 1: an all-zero row becomes uniform

/**
 * Input preprocessing (e.g. scikit-learn Pipeline steps before the model), in float64 before the
 * model's `inputCast`. A program over a scratch vector of `slots` doubles: the row's nFeatures values
 * are copied to slots 0..nFeatures-1, each step writes slots from slots, one rounding per operation,
 * and the model's features are the slots listed in `output` (so the model's width is output.length).
 */
export interface Preprocess {
  slots: number;
  steps: PreStep[];
  output: Int32Array;
}

export type PreStep =
  /**
   * Elementwise, k = 0..src.length-1: S[dst[k]] = S[src[k]] op a[k]. "sub", "add", "mul", "div": one
   * double operation; "fill": a NaN becomes a[k] (imputation); "clip": min(max(v, a[k]), b[k]) with
   * NaN kept (np.clip).
   */
  | { kind: "map"; op: "sub" | "add" | "mul" | "div" | "fill" | "clip"; src: Int32Array; dst: Int32Array; a: Float64Array; b?: Float64Array }
  /** in order: S[dst[k]] = S[a[k]] · S[b[k]]; a copy S[b[k]] when a[k] < 0; the constant 1 when b[k] < 0 (polynomial features) */
  | { kind: "product"; a: Int32Array; b: Int32Array; dst: Int32Array }
  /**
   * Row normalization over slots src (sklearn Normalizer): n = Σ|v| (l1, sequential), sqrt(Σv²) (l2,
   * sequential) or max|v| (max); n < floor (or n = 0) becomes 1; S[dst[k]] = S[src[k]] / n.
   */
  | { kind: "normalize"; norm: "l1" | "l2" | "max"; floor: number; src: Int32Array; dst: Int32Array }
  | LookupStep
  | BinsStep
  /** elementwise S[dst[k]] = fn(S[src[k]]) with numpy's float64 ufunc (glibc's functions; NaN propagates) */
  | { kind: "func"; fn: FuncName; src: Int32Array; dst: Int32Array };

/** numpy ufuncs a FunctionTransformer may name (src/runtime: the glibc results numpy gives on x86-64) */
export type FuncName = "log1p" | "expm1" | "log" | "exp" | "sqrt";

/**
 * Category lookup (scikit-learn's OneHotEncoder, OrdinalEncoder, TargetEncoder): input k reads v = S[src[k]]
 * and writes the `width` values of one table row to its destinations dst[dstStart[k] .. dstStart[k+1]).
 * The row is the index of v among the input's keys keys[keyStart[k] .. keyStart[k+1]) (strictly ascending,
 * exact equality; -0 equals 0), else row nKeys (v is NaN) or row nKeys + 1 (any other value: unknown). Input k's
 * table is table[tableStart[k] ..] with (nKeys + 2) × width values, row-major. `fail[k]` bit 1: an unknown value
 * is an error, bit 2: NaN is an error (scikit-learn raises); the error names column label[k].
 * Values of string columns are codes (ModelIR.columns): a known string is its index, None -2, unknown -1.
 */
export interface LookupStep {
  kind: "lookup";
  src: Int32Array;
  dstStart: Int32Array;
  dst: Int32Array;
  keyStart: Int32Array;
  keys: Float64Array;
  tableStart: Int32Array;
  table: Float64Array;
  fail: Int32Array;
  label: string[];
}

/**
 * Binning (scikit-learn KBinsDiscretizer): S[dst[k]] = the number of edges e of input k (edges[edgeStart[k] ..
 * edgeStart[k+1]), ascending: bin_edges_[1:-1]) with e <= v, as np.searchsorted(edges, v, side="right"). A value
 * that is not finite is an error naming label[k] (scikit-learn's input check).
 */
export interface BinsStep {
  kind: "bins";
  src: Int32Array;
  dst: Int32Array;
  edgeStart: Int32Array;
  edges: Float64Array;
  label: string[];
}

/**
 * An input column of a model fitted on a table (pandas DataFrame) that has string (object) columns. Row values of a
 * "category" column are strings, null/undefined (None) or NaN; the module turns them into the number the
 * preprocessing reads: the index of a known string in `categories`, -1 for an unknown string, -2 for None when
 * `none` (None is a category of some encoder), else NaN. "number" columns take numbers (booleans as 1 and 0,
 * null/undefined: NaN). "ignored" columns (dropped by every transformer) take any value, and read as 0.
 */
export interface InputColumn {
  name: string;
  kind: "number" | "category" | "ignored";
  categories?: string[];
  none?: boolean;
}

/** How `predict` derives its answer from the transformed output or the raw score. */
export type Decision =
  | { kind: "value" } // regression: the transformed output itself
  | { kind: "threshold"; on: "output" | "raw"; op: ">" | ">="; value: number } // binary
  | { kind: "argmax"; on: "output" | "raw" } // multiclass: first maximum
  /** several classifications: output slots split into consecutive groups, argmax (first maximum) in each → outputClasses[g] */
  | { kind: "argmaxGroups"; on: "output" | "raw"; groups: number[] }
  | { kind: "vote" }; // kernel "ovo" models: libsvm one-vs-one votes (i when d_p > 0, else j), first maximum; neighbors classifiers: their predict (src/runtime/knn.ts)

/**
 * Outlier detectors (scikit-learn IsolationForest, OneClassSVM; nOutputs 1): predictRaw (and the evaluator's
 * evaluatePredictRaw) returns the library's decision_function instead of the raw score, and scoreSamples its
 * score_samples. The library's relation is decision_function = score_samples - offset_, computed one way or the other:
 * - "scoreMinusOffset" (IsolationForest, _iforest.py: decision_function = score_samples - offset_): the transform
 *   ("sk.iforest") ends by subtracting transformArg (offset_), so decision_function is the transformed output and
 *   score_samples the same transform with transformArg 0 (the value before the subtraction, exactly).
 * - "decisionPlusOffset" (OneClassSVM, svm/_classes.py: score_samples = decision_function + offset_): decision_function
 *   is the raw score, score_samples = raw + offset in one double addition (offset = offset_ = -intercept_).
 */
export type Outlier = { kind: "scoreMinusOffset" } | { kind: "decisionPlusOffset"; offset: number };

/** How `predictProba` is formed from the transformed output. */
export type ProbaRule =
  | { kind: "none" }
  | { kind: "binary"; numberType: NumberType } // [1 - p, p], 1 - p rounded to numberType
  | { kind: "vector" } // the transformed output is already the probability vector
  /** [p0, p1] = softmax of [-o/2, o/2] of the single transformed output o (numpy softmax: binary AdaBoostClassifier) */
  | { kind: "softmaxHalves" }
  /**
   * libsvm predict_probability of a kernel "ovo" model (SVC/NuSVC probability=True): Platt's sigmoid of each pair
   * decision with probA/probB (one per pair), then libsvm's pairwise coupling iteration; one probability per class
   * (src/runtime/libsvmProba.ts).
   */
  | { kind: "libsvm"; probA: Float64Array; probB: Float64Array };

/** Number of values predictProba returns per row (0 without predictProba). */
export function probaWidth(ir: Pick<ModelIR, "proba" | "nOutputs" | "model">): number {
  const p = ir.proba;
  if (p.kind === "none") return 0;
  if (p.kind === "binary" || p.kind === "softmaxHalves") return 2;
  if (p.kind === "libsvm") return ir.model.kind === "kernel" ? ir.model.counts.length : 0;
  return ir.nOutputs;
}

export interface ModelIR {
  irVersion: 1;
  name: string;
  task: Task;
  nFeatures: number;
  featureNames?: string[];
  featureTypes?: ("numeric" | "categorical")[];
  /** class labels (classifiers) */
  classes?: (number | string)[];
  /** numeric class labels per output group (decision argmaxGroups); predict returns one label per group */
  outputClasses?: number[][];
  source: { library: string; version: string; format: string; objective?: string; booster?: string };
  /** cast applied to each input value before any comparison or product (after `preprocess`) */
  inputCast: NumberType;
  /** table models with string columns: how each row value becomes the number preprocessing reads (length nFeatures) */
  columns?: InputColumn[];
  /** float64 input preprocessing; the model's feature indices then refer to its output slots */
  preprocess?: Preprocess;
  /** length of the raw score vector */
  nOutputs: number;
  model: TreeEnsemble | LinearModel | KernelModel | MlpModel | NeighborsModel | CompositeModel;
  transform: TransformName;
  /** parameter of the transform (the sigmoid's scale for lgb.sigmoid) */
  transformArg?: number;
  /** raw scores are divided by this before the transform, not in predictRaw (LightGBM rf average_output) */
  outputDivisor?: number;
  /** input values with |x| <= this (including -0) become +0 before use (LightGBM kZeroThreshold) */
  inputZeroSnap?: number;
  decision: Decision;
  proba: ProbaRule;
  /** outlier detectors: predictRaw is the library's decision_function, and scoreSamples its score_samples */
  outlier?: Outlier;
  /**
   * How closely the library's outputs can be reproduced: "exact" (every operation reproduced, the
   * default) or within N ulps (where the library's result depends on CPU kernels: numpy SIMD exp, BLAS).
   * `dotProduct` (linear, kernel and mlp models): the library's dot products are summed in a CPU-kernel order (BLAS), so
   * a difference within the summation error bound nFeatures·eps·(Σ|xᵢwᵢ| + |b|) (relative for outputs
   * above 1 in magnitude) also counts as parity; rows whose terms cancel can be many ulps apart. mlp: that bound per
   * unit, carried through the layers and activations (src/parityMlp.ts).
   * above 1 in magnitude) also counts as parity; rows whose terms cancel can be many ulps apart.
   * `neighborTies` (neighbors models): which training rows are the k nearest, and their order, can depend on distances
   * that lie within the library's rounding bound of each other (BLAS dot products), or on exact ties the library breaks
   * by its tree's traversal order (kd_tree, ball_tree); `modelc diff` reports such rows (src/ir/neighbors.ts knnTieRow).
   * `absolute`: a difference up to this (relative above 1 in magnitude) also counts, for outputs made by
   * subtracting a constant from a CPU-dependent value (the ulps of that value, before the cancellation).
   */
  parity?: "exact" | { ulps: number; dotProduct?: boolean; absolute?: number; neighborTies?: boolean };
  /** free-form notes for `inspect` (e.g. "trees from best_iteration") */
  notes?: string[];
}
