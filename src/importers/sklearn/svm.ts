// SVC, NuSVC, SVR, NuSVR, OneClassSVM to the IR's kernel model (sklearn/svm/_base.py, libsvm
// svm.cpp predict_values): the internal _dual_coef_ / _intercept_ / _n_support libsvm predicts with,
// kernels with scikit-learn's _gamma. BLAS dot products (CPU-dependent order): parity within 4 ulps.

import { buildKernel } from "../../ir/builder.ts";
import type { Decision, KernelModel, ModelIR, ProbaRule } from "../../ir/types.ts";
import type { Est } from "./doc.ts";
import type { SkHeader } from "./skHeader.ts";

export const SVM_CLASSES = ["SVC", "NuSVC", "SVR", "NuSVR", "OneClassSVM"];

/** OneClassSVM's offset_ (fit sets it to -_intercept_, exactly), read as stored when the file has it. */
function outlierOffset(est: Est): number {
  if (!est.has("offset_")) return -est.numbers("_intercept_")[0]!;
  const v = est.numbers("offset_");
  if (v.length !== 1) est.fail(`expected one offset, got ${v.length}`, ["attrs", "offset_"], "E_SHAPE");
  return v[0]!;
}

export function importSvm(est: Est, header: SkHeader): ModelIR {
  const kernel = est.paramString("kernel", "rbf");
  if (kernel !== "linear" && kernel !== "poly" && kernel !== "rbf" && kernel !== "sigmoid")
    est.unsupported(`kernel ${JSON.stringify(kernel)} is not supported (linear, poly, rbf, sigmoid are)`, ["params", "kernel"]);
  if (est.attrs["_sparse"] === true) est.unsupported("a model fitted on sparse input is not supported", ["attrs", "_sparse"]);
  const nFeatures = est.nFeatures();
  const sv = est.array("support_vectors_", 2);
  const nSV = sv.shape[0]!;
  if (nSV > 0 && sv.shape[1] !== nFeatures)
    est.fail(`expected ${nFeatures} values per support vector, got ${sv.shape[1]}`, ["attrs", "support_vectors_"], "E_SHAPE");
  const vectors = Float64Array.from(est.numbers("support_vectors_"));
  const coef = Float64Array.from(est.numbers("_dual_coef_"));
  const intercept = Float64Array.from(est.numbers("_intercept_"));
  const gamma = est.number("_gamma");
  const params = { kernel, gamma, coef0: est.paramNumber("coef0", 0), degree: est.paramNumber("degree", 3), nSV, vectors, coef, intercept } as const;
  const notes = ["kernel dot products go through BLAS (CPU-dependent summation): parity within 4 ulps or the dot-product error bound"];
  const classifier = est.cls === "SVC" || est.cls === "NuSVC";
  if (!classifier) {
    const oneClass = est.cls === "OneClassSVM";
    const model: Omit<KernelModel, "kind"> = { ...params, form: "single", counts: new Int32Array(0), rawShape: "single" };
    return buildKernel(
      {
        ...header,
        task: oneClass ? "binary" : "regression",
        nFeatures,
        nOutputs: 1,
        classes: oneClass ? [-1, 1] : undefined,
        inputCast: "float64",
        transform: "identity",
        decision: oneClass ? { kind: "threshold", on: "raw", op: ">", value: 0 } : { kind: "value" },
        proba: { kind: "none" },
        // OneClassSVM: decision_function is the raw score; score_samples = decision_function + offset_ (svm/_classes.py)
        outlier: oneClass ? { kind: "decisionPlusOffset", offset: outlierOffset(est) } : undefined,
        parity: { ulps: 4, dotProduct: true },
        notes,
      },
      model,
      est.ctx.file,
    );
  }
  const classes = est.classes();
  const K = classes.length;
  const counts = Int32Array.from(est.numbers("_n_support", 1));
  if (counts.length !== K) est.fail(`expected ${K} support-vector counts, got ${counts.length}`, ["attrs", "_n_support"], "E_SHAPE");
  const shapeParam = est.paramString("decision_function_shape", "ovr");
  const rawShape = K === 2 ? "negate" : shapeParam === "ovr" ? "ovr" : "pairs";
  const nOut = rawShape === "negate" ? 1 : rawShape === "ovr" ? K : (K * (K - 1)) / 2;
  // predict: libsvm's votes; with break_ties (ovr, more than 2 classes) the argmax of decision_function
  const breakTies = est.param("break_ties") === true && rawShape === "ovr";
  const decision: Decision = breakTies ? { kind: "argmax", on: "raw" } : { kind: "vote" };
  // probability=True: libsvm's predict_probability (Platt's sigmoid per pair with probA_/probB_, pairwise coupling)
  let proba: ProbaRule = { kind: "none" };
  if (est.param("probability") === true) {
    const nPairs = (K * (K - 1)) / 2;
    const probA = Float64Array.from(est.numbers("probA_"));
    const probB = Float64Array.from(est.numbers("probB_"));
    if (probA.length !== nPairs) est.fail(`expected ${nPairs} Platt coefficients, got ${probA.length}`, ["attrs", "probA_"], "E_SHAPE");
    if (probB.length !== nPairs) est.fail(`expected ${nPairs} Platt coefficients, got ${probB.length}`, ["attrs", "probB_"], "E_SHAPE");
    proba = { kind: "libsvm", probA, probB };
    notes.push("predict_proba: libsvm's Platt sigmoid (glibc exp) and pairwise coupling, operation for operation, on the pair decisions");
  }
  return buildKernel(
    {
      ...header,
      task: K === 2 ? "binary" : "multiclass",
      nFeatures,
      nOutputs: nOut,
      classes,
      inputCast: "float64",
      transform: "identity",
      decision,
      proba,
      parity: { ulps: 4, dotProduct: true },
      notes,
    },
    { ...params, form: "ovo", counts, rawShape },
    est.ctx.file,
  );
}
