// TypeScript printer of multi-layer perceptrons (scikit-learn MLPClassifier/MLPRegressor): the loops of src/ir/mlp.ts
// over typed-array weights, the same in both styles. One dense_ function serves every layer and both the single-row
// and the batch paths: it computes ROWS rows at a time (each weight read once for them, each row's sums their own
// chains), then the remaining rows one by one; per row the same operations in the same order, so a batch gives the
// bits of one row at a time. The hidden activation follows each hidden layer; the last layer's pre-activation is raw.

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { MlpModel, ModelIR } from "../../src/ir/types.ts";
import { typedConst, type Body } from "./body.ts";

/** Rows a dense layer computes at once. */
const ROWS = 4;

export function emitMlp(ir: ModelIR, m: MlpModel): Body {
  const runtime = new Set<string>();
  const code: string[] = [];
  const xt = ir.inputCast === "float32" ? "Float32Array" : "Float64Array";
  const W = modelWidth(ir);
  const NO = ir.nOutputs;
  const last = m.layers.length - 1;
  m.layers.forEach((L, l) => {
    code.push(typedConst(`MW${l}`, "Float64Array", L.weights, runtime), typedConst(`MB${l}`, "Float64Array", L.bias, runtime));
    // hidden activations of the rows of a block (grown on demand; one row needs L.nOut)
    if (l < last) code.push(`let MH${l} = new Float64Array(${L.nOut});`);
  });
  const rowsSums = (k: number, pad: string): string[] => {
    const L = [`${pad}for (let i = 0; i < nIn; i++) {`, `${pad}  const o = i * nOut;`];
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
      "/** z (rows nOut apart) = a (rows nIn apart) · W + B for nb rows: per row and unit, (Σ_i a_i·W_ij, in order from 0) + B_j. */",
      `function dense_(W: Float64Array, B: Float64Array, nIn: number, nOut: number, a: ${xt === "Float64Array" ? "Float64Array" : "Float64Array | Float32Array"}, nb: number, z: Float64Array): void {`,
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
      "    for (let j = 0; j < nOut; j++) z[z0 + j] = z[z0 + j]! + B[j]!;",
      "  }",
      "}",
    ].join("\n"),
  );
  const act = activationLine(m, runtime);
  if (act)
    code.push(
      [
        "/** The hidden activation of z[0 .. n). */",
        "function act_(z: Float64Array, n: number): void {",
        "  for (let k = 0; k < n; k++) {",
        `    ${act}`,
        "  }",
        "}",
      ].join("\n"),
    );
  /** the layers for nb rows of x into out */
  const forward = (pad: string, x: string, nb: string, out: string): string[] => {
    const L: string[] = [];
    m.layers.forEach((layer, l) => {
      const a = l === 0 ? x : `MH${l - 1}`;
      const z = l === last ? out : `MH${l}`;
      L.push(`${pad}dense_(MW${l}, MB${l}, ${layer.nIn}, ${layer.nOut}, ${a}, ${nb}, ${z});`);
      if (l < last && act) L.push(`${pad}act_(MH${l}, ${nb === "1" ? layer.nOut : `${nb} * ${layer.nOut}`});`);
    });
    return L;
  };
  code.push([`function raw_(x: ${xt}, R: Float64Array): void {`, ...forward("  ", "x", "1", "R"), "}"].join("\n"));
  const grow = m.layers.slice(0, last).map((L, l) => `  if (MH${l}.length < nb * ${L.nOut}) MH${l} = new Float64Array(nb * ${L.nOut});`);
  code.push(
    [
      `/** Raw scores of nb rows of x (${W} values each) into A (${NO} per row): raw_ on each row, ${ROWS} rows at a time. */`,
      `function rawBlock_(x: ${xt}, nb: number, A: Float64Array): void {`,
      ...grow,
      ...forward("  ", "x", "nb", "A"),
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
