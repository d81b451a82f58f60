// AssemblyScript printer of neighbors models (scikit-learn KNeighborsClassifier / KNeighborsRegressor): the
// training set in the data blob and one call per step of src/runtime/as/knn.as, the port of the helpers the
// TypeScript modules and the evaluator run; rows one at a time (the same bits as one row alone). Each block row's
// predicted class stays in CB for decide_.

import { modelWidth } from "../../src/ir/preprocess.ts";
import { KNN_METRIC_CODE } from "../../src/ir/neighbors.ts";
import type { NeighborsModel } from "../../src/ir/types.ts";
import type { AsBody, AsContext } from "./body.ts";
import { f64Lit } from "./literals.ts";

export function emitNeighborsAs(ctx: AsContext, m: NeighborsModel, block: number): AsBody {
  const { ir, data } = ctx;
  if (ctx.xt !== "f64") throw new Error("internal: neighbors models read float64 rows");
  const runtime = new Set<string>(["knn.as"]);
  const W = modelWidth(ir);
  const n = m.nSamples;
  const k = m.k;
  const NO = ir.nOutputs;
  const gemm = m.metric === "euclideanGemm";
  const w = m.weights === "distance" ? 1 : 0;
  const code: string[] = [
    data.f64("NX", m.X),
    `const NN = memory.data(${8 * (gemm ? n : 1)}, 8);`,
    "let normsReady: bool = false;",
    `const ND = memory.data(${8 * k}, 8);`,
    `const NI = memory.data(${4 * k}, 4);`,
    `const ND2 = memory.data(${8 * k}, 8);`,
    `const NI2 = memory.data(${4 * k}, 4);`,
    `const NS = memory.data(${4 * 3 * (k + 1)}, 4);`,
    `const NT = memory.data(${8 * k}, 8);`,
    `const NU = memory.data(${8 * k}, 8);`,
    `const CB = memory.data(${4 * block}, 4);`,
  ];
  const finish = m.labels
    ? `store<i32>(CB + (<usize>r << 2), knnClassify(ND, NI, ${k}, NL, ${NO}, ${w}, ACC + <usize>r * ${8 * NO}, NT, NU));`
    : `knnRegress(ND, NI, ${k}, NY, ${NO}, ${w}, ACC + <usize>r * ${8 * NO}, NT, NU);`;
  code.push(m.labels ? data.i32("NL", m.labels) : data.f64("NY", m.targets!));
  code.push(
    [
      "function rawBlock_(x0: usize, n: i32, stride: usize): void {",
      ...(gemm ? ["  if (!normsReady) {", `    knnRowNorms(NX, ${n}, ${W}, NN);`, "    normsReady = true;", "  }"] : []),
      "  for (let r = 0; r < n; r++) {",
      `    knnSearch(NX, NN, ${n}, ${W}, x0 + <usize>r * stride, ${KNN_METRIC_CODE[m.metric]}, ${k}, ${m.sort === "quicksort" ? 1 : 0}, ${
        m.strategy === "parallelOnY" ? 1 : 0
      }, ${f64Lit(m.emptyDistance)}, ND, NI, ND2, NI2, NS);`,
      `    ${finish}`,
      "  }",
      "}",
    ].join("\n"),
  );
  return { code, runtime };
}
