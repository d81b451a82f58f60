// MLPClassifier and MLPRegressor to the IR's multi-layer perceptron (sklearn/neural_network/_multilayer_perceptron.py
// _forward_pass_fast, predict, predict_proba; _base.py ACTIVATIONS): coefs_[l] (nIn × nOut) and intercepts_[l] per
// layer, the hidden `activation`, and out_activation_ as the IR's transform. Products go through BLAS
// (safe_sparse_dot, CPU-dependent summation): parity within 4 ulps or the dot-product bound carried through the layers.

import { jsonPath } from "../../errors.ts";
import { buildMlp } from "../../ir/mlp.ts";
import type { MlpActivation, MlpLayer, ModelIR } from "../../ir/types.ts";
import type { OutputMeaning } from "../outputMeaning.ts";
import { numericValues, readArray, type Est } from "./doc.ts";
import type { SkHeader } from "./skHeader.ts";

export const MLP_CLASSES = ["MLPClassifier", "MLPRegressor"];

const HIDDEN: readonly string[] = ["identity", "logistic", "tanh", "relu"];

/** A list attribute of ndarrays (coefs_, intercepts_), each of the given rank. */
function arrayList(est: Est, name: string, rank: number) {
  const v = est.attr(name);
  if (!Array.isArray(v)) return est.fail(`expected a list of arrays, got ${typeof v}`, ["attrs", name]);
  return v.map((a, l) => {
    const at = ["attrs", name, l];
    const nd = readArray(a, est, at, rank);
    return { shape: nd.shape, values: numericValues(nd, est, at) };
  });
}

export function importMlp(est: Est, header: SkHeader): ModelIR {
  const hidden = est.paramString("activation", "relu");
  if (!HIDDEN.includes(hidden)) est.unsupported(`activation ${JSON.stringify(hidden)} is not supported (${HIDDEN.join(", ")} are)`, ["params", "activation"]);
  const coefs = arrayList(est, "coefs_", 2);
  const intercepts = arrayList(est, "intercepts_", 1);
  if (intercepts.length !== coefs.length)
    est.fail(`expected ${coefs.length} intercept arrays (one per layer), got ${intercepts.length}`, ["attrs", "intercepts_"], "E_SHAPE");
  if (est.has("n_layers_") && est.number("n_layers_") !== coefs.length + 1)
    est.fail(`n_layers_ is ${est.number("n_layers_")}, coefs_ holds ${coefs.length} layers`, ["attrs", "n_layers_"], "E_SHAPE");
  const layers: MlpLayer[] = coefs.map((c, l) => {
    const [nIn, nOut] = c.shape as [number, number];
    if (intercepts[l]!.shape[0] !== nOut)
      est.fail(`layer ${l}: expected ${nOut} intercepts, got ${intercepts[l]!.shape[0]}`, ["attrs", "intercepts_", l], "E_SHAPE");
    return { nIn, nOut, weights: Float64Array.from(c.values), bias: Float64Array.from(intercepts[l]!.values) };
  });
  const nFeatures = est.nFeatures();
  const nOut = layers.length ? layers[layers.length - 1]!.nOut : 0;
  const outAct = est.attr("out_activation_");
  const notes = [
    "dense layers go through BLAS (safe_sparse_dot: CPU-dependent summation): parity within 4 ulps or the dot-product error bound carried through the layers",
    "scikit-learn refuses NaN and ±inf inputs (ValueError); the module computes through them: NaN propagates to the outputs",
  ];
  if (hidden === "tanh") notes.push("np.tanh is numpy's SIMD tanh on AVX512 CPUs (up to 3 ulps from fdlibm/glibc tanh, which modelc computes)");
  let meaning: OutputMeaning;
  let classes: (number | string)[] | undefined;
  const classifier = est.cls === "MLPClassifier";
  if (!classifier) {
    if (outAct !== "identity" && outAct !== "exp")
      est.unsupported(`out_activation_ ${JSON.stringify(outAct)} is not supported for a regressor`, ["attrs", "out_activation_"]);
    meaning = {
      task: nOut > 1 ? "multitarget" : "regression",
      // "exp" (loss="poisson"): np.exp, glibc exp here
      transform: outAct === "exp" ? "lgb.exp" : "identity",
      decision: { kind: "value" },
      proba: { kind: "none" },
    };
  } else {
    classes = est.classes();
    if (outAct === "softmax") {
      if (classes.length !== nOut) est.fail(`expected ${nOut} classes (one per output), got ${classes.length}`, ["attrs", "classes_"], "E_SHAPE");
      // predict: LabelBinarizer.inverse_transform of the probabilities, argmax (first maximum)
      meaning = { task: "multiclass", transform: "sk.softmax", transformArg: 1, decision: { kind: "argmax", on: "output" }, proba: { kind: "vector" } };
    } else if (outAct === "logistic" && nOut === 1) {
      if (classes.length !== 2) est.unsupported(`a binary network with ${classes.length} classes is not supported`, ["attrs", "classes_"]);
      // expit; predict: LabelBinarizer threshold (pos_label + neg_label) / 2 = 0.5, p > 0.5; predict_proba [1 - p, p]
      meaning = {
        task: "binary",
        transform: "lgb.sigmoid",
        transformArg: 1,
        decision: { kind: "threshold", on: "output", op: ">", value: 0.5 },
        proba: { kind: "binary", numberType: "float64" },
      };
    } else if (outAct === "logistic") {
      return est.unsupported("multilabel classification (one logistic output per label) is not supported yet", ["attrs", "out_activation_"]);
    } else {
      return est.unsupported(`out_activation_ ${JSON.stringify(outAct)} is not supported for a classifier`, ["attrs", "out_activation_"]);
    }
  }
  return buildMlp(
    {
      ...header,
      ...meaning,
      nFeatures,
      nOutputs: nOut,
      classes,
      inputCast: "float64",
      parity: { ulps: 4, dotProduct: true },
      notes,
    },
    { layers, hidden: hidden as MlpActivation },
    est.ctx.file,
    jsonPath(est.path),
  );
}
