// Multi-layer perceptrons in AssemblyScript: the loops of src/ir/mlp.ts as the TypeScript printer writes them
// (emitters/ts/mlp.ts): a loop over the layers (tables of emitters/lower/mlpTables.ts), one dense_ for every layer,
// ROWS rows at a time (each weight loaded once for them, each row's sums their own chains) then the rest one by one,
// the hidden activations of a block's rows in two alternating scratch buffers, the last layer's pre-activation into
// ACC. Per row the same operations in the same order.

import type { MlpModel } from "../../src/ir/types.ts";
import { mlpTables } from "../lower/mlpTables.ts";
import { BLOCK, unsupported, type AsBody, type AsContext } from "./body.ts";

/** Rows a dense layer computes at once. */
const ROWS = 4;

export function emitMlpAs(ctx: AsContext, m: MlpModel): AsBody {
  const { data } = ctx;
  if (ctx.xt !== "f64") unsupported("a multi-layer perceptron on float32 input");
  const runtime = new Set<string>();
  const t = mlpTables(m);
  const last = t.nLayers - 1;
  const code: string[] = [
    data.f64("MW", t.weights),
    data.f64("MB", t.bias),
    data.i32("MN", t.sizes),
    data.i32("MWO", t.weightAt),
    data.i32("MBO", t.biasAt),
    // the hidden layers' values of a block's rows, alternating between two buffers
    `const MH0 = memory.data(${8 * t.maxHidden * BLOCK}, 8);`,
    `const MH1 = memory.data(${8 * t.maxHidden * BLOCK}, 8);`,
  ];
  const sums = (k: number): string[] => {
    const L = ["    for (let i = 0; i < nIn; i++) {", "      const o = W + (<usize>(i * nOut) << 3);"];
    for (let j = 0; j < k; j++) L.push(`      const v${j} = load<f64>(a0 + ${j === 0 ? "" : `${j} * astr + `}(<usize>i << 3));`);
    L.push("      for (let j = 0; j < nOut; j++) {", "        const w = load<f64>(o + (<usize>j << 3));", "        const p = z0 + (<usize>j << 3);");
    for (let j = 0; j < k; j++) {
      const q = j === 0 ? "p" : `p + ${j} * zs`;
      L.push(`        store<f64>(${q}, load<f64>(${q}) + v${j} * w);`);
    }
    L.push("      }", "    }");
    return L;
  };
  code.push(
    [
      "/**",
      " * z (rows zs bytes apart) = a (rows astr bytes apart) · W + B for n rows (W, B: the layer's weights and biases):",
      " * per row and unit, (Σ_i a_i·W_ij, in order from 0) + B_j.",
      " */",
      "function dense_(W: usize, B: usize, nIn: i32, nOut: i32, a: usize, astr: usize, n: i32, z: usize): void {",
      "  const zs = <usize>nOut << 3;",
      "  memory.fill(z, 0, <usize>n * zs);",
      "  let r = 0;",
      `  for (; r + ${ROWS} <= n; r += ${ROWS}) {`,
      "    const a0 = a + <usize>r * astr;",
      "    const z0 = z + <usize>r * zs;",
      ...sums(ROWS),
      "  }",
      "  for (; r < n; r++) {",
      "    const a0 = a + <usize>r * astr;",
      "    const z0 = z + <usize>r * zs;",
      ...sums(1),
      "  }",
      "  for (let r = 0; r < n; r++) {",
      "    const z0 = z + <usize>r * zs;",
      "    for (let j = 0; j < nOut; j++) {",
      "      const p = z0 + (<usize>j << 3);",
      "      store<f64>(p, load<f64>(p) + load<f64>(B + (<usize>j << 3)));",
      "    }",
      "  }",
      "}",
    ].join("\n"),
  );
  const act = activationLine(m, runtime);
  code.push(
    [
      "/** The hidden activation of the n values at z. */",
      "function act_(z: usize, n: i32): void {",
      ...(act ? ["  for (let k = 0; k < n; k++) {", "    const p = z + (<usize>k << 3);", "    const v = load<f64>(p);", `    ${act}`, "  }"] : []),
      "}",
    ].join("\n"),
    [
      "/** The layers, in order, for n rows (stride bytes apart from x0) into ACC (the last layer's pre-activation). */",
      "function rawBlock_(x0: usize, n: i32, stride: usize): void {",
      "  let a = x0;",
      "  let astr = stride;",
      `  for (let l = 0; l < ${t.nLayers}; l++) {`,
      "    const nIn = load<i32>(MN + (<usize>l << 2));",
      "    const nOut = load<i32>(MN + (<usize>(l + 1) << 2));",
      `    const z = l == ${last} ? ACC : (l & 1) == 0 ? MH0 : MH1;`,
      "    const W = MW + (<usize>load<i32>(MWO + (<usize>l << 2)) << 3);",
      "    const B = MB + (<usize>load<i32>(MBO + (<usize>l << 2)) << 3);",
      "    dense_(W, B, nIn, nOut, a, astr, n, z);",
      `    if (l < ${last}) act_(z, n * nOut);`,
      "    a = z;",
      "    astr = <usize>nOut << 3;",
      "  }",
      "}",
    ].join("\n"),
  );
  return { code, runtime };
}

/** The statement storing the hidden activation of v at p (scikit-learn ACTIVATIONS), or "" for identity. */
function activationLine(m: MlpModel, runtime: Set<string>): string {
  switch (m.hidden) {
    case "identity":
      return "";
    case "relu":
      // np.maximum(z, 0): NaN stays, -0 and negatives become +0
      return "if (v <= 0.0) store<f64>(p, 0.0);";
    case "tanh":
      // Math.tanh of the JavaScript modules (V8's fdlibm)
      runtime.add("kernel.as");
      return "store<f64>(p, fdlibmTanh(v));";
    case "logistic":
      runtime.add("exp.as");
      return "store<f64>(p, 1.0 / (1.0 + exp(-v)));";
  }
}
