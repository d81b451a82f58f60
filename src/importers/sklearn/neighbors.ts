// KNeighborsClassifier and KNeighborsRegressor to the IR's neighbors model (types.ts NeighborsModel): the stored
// training set (_fit_X, _y) searched by brute force as scikit-learn's ArgKmin does (neighbors/_base.py kneighbors),
// whatever `algorithm` fitted it; kd_tree and ball_tree find the same neighbours up to exact ties, which their
// traversal breaks (the parity rule says so). The training set is the model: refused above --max-neighbors-table.

import { CompileError } from "../../errors.ts";
import { buildNeighbors } from "../../ir/neighbors.ts";
import type { ModelIR, NeighborsModel } from "../../ir/types.ts";
import { atLeast, type Est } from "./doc.ts";
import type { SkHeader } from "./skHeader.ts";

export const NEIGHBORS_CLASSES = ["KNeighborsClassifier", "KNeighborsRegressor"];

/** Default limit of stored training values (samples × features) of a neighbors model. */
export const DEFAULT_MAX_NEIGHBORS_TABLE = 5_000_000;

export function importNeighbors(est: Est, header: SkHeader): ModelIR {
  const classifier = est.cls === "KNeighborsClassifier";
  const nFeatures = est.nFeatures();
  const fitX = est.array("_fit_X", 2);
  const [nSamples, width] = fitX.shape as [number, number];
  const limit = est.ctx.maxNeighborsTable ?? DEFAULT_MAX_NEIGHBORS_TABLE;
  if (!(Number.isSafeInteger(limit) && limit > 0))
    throw new CompileError("E_USAGE", `--max-neighbors-table expects a positive whole number of values, got ${est.ctx.maxNeighborsTable}`);
  if (nSamples * width > limit)
    throw new CompileError(
      "E_LIMIT",
      `${est.cls}: the training set holds ${nSamples * width} values (${nSamples} samples × ${width} features), over the limit of ${limit}`,
      { file: est.ctx.file, path: "$" },
      "raise it with --max-neighbors-table <values> (option maxNeighborsTable)",
    );
  if (width !== nFeatures) est.fail(`expected ${nFeatures} values per training sample, got ${width}`, ["attrs", "_fit_X"], "E_SHAPE");
  const X = Float64Array.from(est.numbers("_fit_X"));
  const n = est.number("n_samples_fit_");
  if (n !== nSamples) est.fail(`n_samples_fit_ is ${n}, _fit_X holds ${nSamples} samples`, ["attrs", "n_samples_fit_"], "E_SHAPE");
  const metricName = est.attr("effective_metric_");
  if (metricName !== "euclidean" && metricName !== "manhattan")
    est.unsupported(`the metric ${JSON.stringify(metricName)} is not supported (minkowski with p=1 or p=2, "euclidean" and "manhattan" are)`, [
      "attrs",
      "effective_metric_",
    ]);
  // a Python dict is exported as {"dict": {...}}; minkowski leaves p in it on some versions
  const raw = est.attrs["effective_metric_params_"];
  const extra = raw && typeof raw === "object" && "dict" in raw ? (raw as { dict: unknown }).dict : raw;
  if (extra && typeof extra === "object" && Object.keys(extra).some((k) => k !== "p"))
    est.unsupported("metric_params are not supported", ["attrs", "effective_metric_params_"]);
  const weights = est.paramString("weights", "uniform");
  if (weights !== "uniform" && weights !== "distance")
    est.unsupported(`weights ${JSON.stringify(weights)} are not supported ("uniform" and "distance" are)`, ["params", "weights"]);
  const k = est.paramNumber("n_neighbors", 5);
  const algorithm = est.has("_fit_method") ? String(est.attr("_fit_method")) : est.paramString("algorithm", "auto");
  if (!["brute", "kd_tree", "ball_tree"].includes(algorithm))
    est.unsupported(`the fitted search method ${JSON.stringify(algorithm)} is not known`, ["attrs", "_fit_method"]);
  const v = est.ctx.sklearn;
  // ArgKminClassMode (uniform classifiers' predict/predict_proba) since 1.3; simultaneous_sort's introsort since 1.9
  const classModeVersion = atLeast(v, 1, 3);
  const introsort = atLeast(v, 1, 9);
  let metric: NeighborsModel["metric"] = "manhattan";
  if (metricName === "euclidean") {
    // brute force: EuclideanArgKmin's dot products, except the uniform classifier's ArgKminClassMode (>= 1.3), which
    // sums the squared differences as kd_tree and ball_tree do
    metric = algorithm === "brute" && !(classifier && weights === "uniform" && classModeVersion) ? "euclideanGemm" : "euclidean";
  }
  const notes: string[] = [];
  if (metric === "euclideanGemm")
    notes.push(
      "squared euclidean distances as ‖x‖² - 2·x·y + ‖y‖² from BLAS dot products (fused multiply-add chains here): neighbours whose distances lie within the rounding bound of each other may be chosen or ordered differently (modelc diff reports such rows)",
    );
  if (algorithm !== "brute")
    notes.push(
      `fitted with ${algorithm}: its traversal breaks exact distance ties, which brute force here breaks by training order (modelc diff reports such rows)`,
    );
  // ArgKminClassMode (the uniform classifier, >= 1.3) always runs parallel_on_X; kneighbors chooses parallel_on_Y when
  // predicting fewer rows than there are training samples, the usual case in serving
  const classMode = classifier && weights === "uniform" && classModeVersion && algorithm === "brute";
  const strategy = classMode ? "parallelOnX" : "parallelOnY";
  const model = { nSamples, X, metric, k, weights, sort: introsort ? "introsort" : "quicksort", strategy, algorithm } as const;
  // ArgKmin's heaps start at DBL_MAX, the trees' NeighborsHeap at +inf (a row infinitely far from all stays empty)
  const emptyDistance = algorithm === "brute" ? 1.7976931348623157e308 : Infinity;
  // exact unless BLAS distances, a tree's traversal, threads over several chunks, or the order of exactly tied
  // neighbours (which scikit-learn's strategy, hence the batch size, decides) can change the answer
  const orderMatters = !classifier || (weights === "distance" && k >= 8);
  const tieFree = metric !== "euclideanGemm" && algorithm === "brute" && nSamples <= 256 && !orderMatters;
  const parity: ModelIR["parity"] = tieFree ? "exact" : { ulps: 0, neighborTies: true };
  if (!tieFree && metric !== "euclideanGemm")
    notes.push(
      "exactly tied neighbours: scikit-learn orders them by its chunking strategy (the batch size), here as a few rows at a time; modelc diff reports such rows",
    );
  if (classifier) {
    if (est.attr("outputs_2d_") === true) est.unsupported("multi-output classification is not supported", ["attrs", "outputs_2d_"]);
    const classes = est.classes();
    const labels = Int32Array.from(est.numbers("_y", 1));
    return buildNeighbors(
      {
        ...header,
        task: classes.length === 2 ? "binary" : "multiclass",
        nFeatures,
        nOutputs: classes.length,
        classes,
        inputCast: "float64",
        transform: "identity",
        decision: { kind: "vote" },
        proba: { kind: "vector" },
        parity,
        notes,
      },
      { ...model, emptyDistance, labels },
      est.ctx.file,
      "$.estimator.attrs",
    );
  }
  const y = est.array("_y");
  if (y.shape.length > 2) est.fail(`expected targets of rank 1 or 2, got rank ${y.shape.length}`, ["attrs", "_y"], "E_SHAPE");
  const nOutputs = y.shape.length === 2 ? y.shape[1]! : 1;
  const targets = Float64Array.from(est.numbers("_y"));
  return buildNeighbors(
    {
      ...header,
      task: "regression",
      nFeatures,
      nOutputs,
      inputCast: "float64",
      transform: "identity",
      decision: { kind: "value" },
      proba: { kind: "none" },
      parity,
      notes,
    },
    { ...model, emptyDistance, targets },
    est.ctx.file,
    "$.estimator.attrs",
  );
}
