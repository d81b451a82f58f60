// TypeScript printer of multi-layer perceptrons (scikit-learn MLPClassifier/MLPRegressor): the loops of src/ir/mlp.ts
// over typed-array weights (emitters/lower/mlpTables.ts), the same in both styles, a loop over the layers whatever the
// depth. One dense_ function serves every layer and both the single-row and the batch paths: it computes ROWS rows at
// a time (each weight read once for them, each row's sums their own chains), then the remaining rows one by one; per
// row the same operations in the same order, so a batch gives the bits of one row at a time. The hidden activation
// follows each hidden layer; the last layer's pre-activation is raw.

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { MlpModel, ModelIR } from "../../src/ir/types.ts";
import { mlpTables } from "../lower/mlpTables.ts";
import { typedConst, type Body } from "./body.ts";

/** Rows a dense layer computes at once. */
const ROWS = 4;

export function emitMlp(ir: ModelIR, m: MlpModel): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = ir.inputCast === "float32" ? "Float32Array" : "Float64Array";
  const W = modelWidth(ir);
  const NO = ir.nOutputs;
  const t = mlpTables(m);
  // every layer's weights and biases in one table each, and per layer its sizes and offsets: the code is the same
  // whatever the depth
  code.push(
    typedConst("MW", "Float64Array", t.weights, runtime),
    typedConst("MB", "Float64Array", t.bias, runtime),
    typedConst("MN", "Int32Array", t.sizes, runtime),
    typedConst("MWO", "Int32Array", t.weightAt, runtime),
    typedConst("MBO", "Int32Array", t.biasAt, runtime),
    // the hidden layers' values of a block's rows, alternating between two buffers (grown on demand)
    `let MH0 = new Float64Array(${t.maxHidden});`,
    `let MH1 = new Float64Array(${t.maxHidden});`,
  );
  const a = xt === "Float64Array" ? "Float64Array" : "Float64Array | Float32Array";
  const rowsSums = (k: number, pad: string): string[] => {
    const L = [`${pad}for (let i = 0; i < nIn; i++) {`, `${pad}  const o = wo + i * nOut;`];
    for (let j = 0; j < k; j++) L.push(`${pad}  const v${j} = a[a0 + ${j === 0 ? "" : `${j} * nIn + `}i]!;`);
    L.push(`${pad}  for (let j = 0; j < nOut; j++) {`, `${pad}    const w = W[o + j]!;`);
    for (let j = 0; j < k; j++) {
      const p = `z0 + ${j === 0 ? "" : `${j} * nOut + `}j`;
      L.push(`${pad}    z[${p}] = z[${p}]! + v${j} * w;`);
    }
    L.push(`${pad}  }`, `${pad}}`);
    return L;
  };
  code.push(
    [
      "/**",
      " * z (rows nOut apart) = a (rows nIn apart) · W + B for nb rows, the layer's weights at W[wo ..] and biases at B[bo ..]:",
      " * per row and unit, (Σ_i a_i·W_ij, in order from 0) + B_j.",
      " */",
      `function dense_(W: Float64Array, wo: number, B: Float64Array, bo: number, nIn: number, nOut: number, a: ${a}, nb: number, z: Float64Array): void {`,
      "  z.fill(0, 0, nb * nOut);",
      "  let r = 0;",
      `  for (; r + ${ROWS} <= nb; r += ${ROWS}) {`,
      "    const a0 = r * nIn;",
      "    const z0 = r * nOut;",
      ...rowsSums(ROWS, "    "),
      "  }",
      "  for (; r < nb; r++) {",
      "    const a0 = r * nIn;",
      "    const z0 = r * nOut;",
      ...rowsSums(1, "    "),
      "  }",
      "  for (let r = 0; r < nb; r++) {",
      "    const z0 = r * nOut;",
      "    for (let j = 0; j < nOut; j++) z[z0 + j] = z[z0 + j]! + B[bo + j]!;",
      "  }",
      "}",
    ].join("\n"),
  );
  const act = activationLine(m, runtime);
  code.push(
    [
      "/** The hidden activation of z[0 .. n). */",
      "function act_(z: Float64Array, n: number): void {",
      ...(act ? ["  for (let k = 0; k < n; k++) {", `    ${act}`, "  }"] : []),
      "}",
    ].join("\n"),
    [
      "/** The layers, in order, for nb rows of x into out (the last layer's pre-activation). */",
      `function forward_(x: ${a}, nb: number, out: Float64Array): void {`,
      `  let a: ${a} = x;`,
      `  for (let l = 0; l < ${t.nLayers}; l++) {`,
      "    const nOut = MN[l + 1]!;",
      `    const z = l === ${t.nLayers - 1} ? out : (l & 1) === 0 ? MH0 : MH1;`,
      "    dense_(MW, MWO[l]!, MB, MBO[l]!, MN[l]!, nOut, a, nb, z);",
      `    if (l < ${t.nLayers - 1}) act_(z, nb * nOut);`,
      "    a = z;",
      "  }",
      "}",
    ].join("\n"),
    [`function raw_(x: ${xt}, R: Float64Array): void {`, "  forward_(x, 1, R);", "}"].join("\n"),
    [
      `/** Raw scores of nb rows of x (${W} values each) into A (${NO} per row): raw_ on each row, ${ROWS} rows at a time. */`,
      `function rawBlock_(x: ${xt}, nb: number, A: Float64Array): void {`,
      `  if (MH0.length < nb * ${t.maxHidden}) {`,
      `    MH0 = new Float64Array(nb * ${t.maxHidden});`,
      `    MH1 = new Float64Array(nb * ${t.maxHidden});`,
      "  }",
      "  forward_(x, nb, A);",
      "}",
    ].join("\n"),
  );
  return { code, runtime, rawFn: "raw_", blockFn: "rawBlock_" };
}

/** The statement applying the hidden activation to z[k] (scikit-learn ACTIVATIONS), or "" for identity. */
function activationLine(m: MlpModel, runtime: Set<string>): string {
  switch (m.hidden) {
    case "identity":
      return "";
    case "relu":
      // np.maximum(z, 0): NaN stays, -0 and negatives become +0
      return "if (z[k]! <= 0) z[k] = 0;";
    case "tanh":
      return "z[k] = Math.tanh(z[k]!);";
    case "logistic":
      runtime.add("math/exp.ts");
      // scipy.special.expit
      return "z[k] = 1 / (1 + exp(-z[k]!));";
  }
}
