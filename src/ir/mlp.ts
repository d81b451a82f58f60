// The meaning of the IR's multi-layer perceptrons (types.ts MlpModel), written once: the evaluator uses these
// functions and the emitters print the same loops. scikit-learn: neural_network/_multilayer_perceptron.py
// _forward_pass_fast (activation = activation @ coefs_[i]; activation += intercepts_[i]; hidden activation in place)
// and neural_network/_base.py ACTIVATIONS.

import { CompileError } from "../errors.ts";
import { exp } from "../runtime/math/exp.ts";
import { checkHeader, type Header } from "./builder.ts";
import { modelWidth } from "./preprocess.ts";
import type { MlpActivation, MlpModel, ModelIR } from "./types.ts";

/** A hidden activation of one value: scipy's expit for logistic, np.tanh, np.maximum(z, 0) (NaN kept, -0 → +0). */
export function mlpActivate(h: MlpActivation, z: number): number {
  if (h === "logistic") return 1 / (1 + exp(-z));
  if (h === "tanh") return Math.tanh(z);
  if (h === "relu") return z > 0 || z !== z ? z : 0;
  return z;
}

/** One layer: z_j = (Σ_i a_i·W[i·nOut + j], sequential from 0) + b_j, into z. */
export function mlpLayer(w: Float64Array, b: Float64Array, nIn: number, nOut: number, a: ArrayLike<number>, z: Float64Array): void {
  for (let j = 0; j < nOut; j++) z[j] = 0;
  for (let i = 0; i < nIn; i++) {
    const v = a[i]!;
    const o = i * nOut;
    for (let j = 0; j < nOut; j++) z[j] = z[j]! + v * w[o + j]!;
  }
  for (let j = 0; j < nOut; j++) z[j] = z[j]! + b[j]!;
}

/** The raw scores of a (cast) row: the last layer's pre-activation. */
export function mlpRaw(m: MlpModel, x: ArrayLike<number>): Float64Array {
  let a: ArrayLike<number> = x;
  let z = new Float64Array(0);
  m.layers.forEach((L, l) => {
    z = new Float64Array(L.nOut);
    mlpLayer(L.weights, L.bias, L.nIn, L.nOut, a, z);
    if (l < m.layers.length - 1) for (let j = 0; j < L.nOut; j++) z[j] = mlpActivate(m.hidden, z[j]!);
    a = z;
  });
  return z;
}

/** Build a multi-layer perceptron after checking its shapes (layers chained from the model's width to its outputs). */
export function buildMlp(header: Header, mlp: Omit<MlpModel, "kind">, file?: string, path = "$"): ModelIR {
  checkHeader(header, file);
  const fail = (msg: string): never => {
    throw new CompileError("E_SHAPE", msg, { file, path });
  };
  if (mlp.layers.length === 0) fail("a multi-layer perceptron needs at least one layer");
  let width = modelWidth(header);
  mlp.layers.forEach((L, l) => {
    if (L.nIn !== width) fail(`layer ${l}: expected ${width} inputs, got ${L.nIn}`);
    if (!Number.isInteger(L.nOut) || L.nOut < 1 || L.nOut > 1 << 24) fail(`layer ${l}: units must be in 1..${1 << 24}, got ${L.nOut}`);
    if (L.weights.length !== L.nIn * L.nOut) fail(`layer ${l}: expected ${L.nIn * L.nOut} weights (${L.nIn} × ${L.nOut}), got ${L.weights.length}`);
    if (L.bias.length !== L.nOut) fail(`layer ${l}: expected ${L.nOut} biases, got ${L.bias.length}`);
    for (const v of L.weights) if (Number.isNaN(v)) fail(`layer ${l}: a weight is NaN`);
    for (const v of L.bias) if (Number.isNaN(v)) fail(`layer ${l}: a bias is NaN`);
    width = L.nOut;
  });
  if (width !== header.nOutputs) fail(`the last layer has ${width} units, the model ${header.nOutputs} outputs`);
  return { ...header, model: { kind: "mlp", ...mlp } };
}
