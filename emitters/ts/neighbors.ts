// TypeScript printer of neighbors models (scikit-learn KNeighborsClassifier / KNeighborsRegressor): the training set
// as typed-array constants and one call per step of src/runtime/knn.ts, the same helpers the evaluator runs. Both
// styles print the same body; a batch scores its rows one after the other (the same bits as one row at a time).
// raw_ leaves the predicted class in NC for vote_.

import { modelWidth } from "../../src/ir/preprocess.ts";
import { KNN_METRIC_CODE } from "../../src/ir/neighbors.ts";
import type { ModelIR, NeighborsModel } from "../../src/ir/types.ts";
import { numLit } from "../literals.ts";
import { rowType, typedConst, type Body } from "./body.ts";

export function emitNeighbors(ir: ModelIR, m: NeighborsModel): Body {
  const runtime = new Set<string>(["knn.ts"]);
  const xt = rowType(ir);
  const W = modelWidth(ir);
  const n = m.nSamples;
  const k = m.k;
  const metric = KNN_METRIC_CODE[m.metric];
  const w = m.weights === "distance" ? 1 : 0;
  const code: string[] = [typedConst("NX", "Float64Array", m.X, runtime)];
  if (m.metric === "euclideanGemm") {
    code.push(
      [`function norms_(): Float64Array {`, `  const N = new Float64Array(${n});`, `  knnRowNorms(NX, ${n}, ${W}, N);`, "  return N;", "}"].join("\n"),
      "const NN = norms_();",
    );
  } else code.push("const NN = new Float64Array(0);");
  code.push(
    `const ND = new Float64Array(${k});`,
    `const NI = new Int32Array(${k});`,
    `const ND2 = new Float64Array(${k});`,
    `const NI2 = new Int32Array(${k});`,
    `const NS = new Int32Array(${3 * (k + 1)});`,
    `const NT = new Float64Array(${k});`,
    `const NU = new Float64Array(${k});`,
  );
  const search = `  knnSearch(NX, NN, ${n}, ${W}, x, 0, ${metric}, ${k}, ${m.sort === "quicksort" ? 1 : 0}, ${m.strategy === "parallelOnY" ? 1 : 0}, ${numLit(m.emptyDistance)}, ND, NI, ND2, NI2, NS);`;
  if (m.labels) {
    code.push(
      typedConst("NL", "Int32Array", m.labels, runtime),
      "let NC = 0;",
      [`function raw_(x: ${xt}, R: Float64Array): void {`, search, `  NC = knnClassify(ND, NI, ${k}, NL, ${ir.nOutputs}, ${w}, R, 0, NT, NU);`, "}"].join("\n"),
      ["function vote_(): number {", "  return NC;", "}"].join("\n"),
    );
    return { code, runtime, rawFn: "raw_", voteFn: "vote_" };
  }
  code.push(
    typedConst("NY", "Float64Array", m.targets!, runtime),
    [`function raw_(x: ${xt}, R: Float64Array): void {`, search, `  knnRegress(ND, NI, ${k}, NY, ${ir.nOutputs}, ${w}, R, 0, NT, NU);`, "}"].join("\n"),
  );
  return { code, runtime, rawFn: "raw_" };
}
