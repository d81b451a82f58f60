// The `meta` object of a generated module (JavaScript and the WebAssembly loader print the same one).

import type { ModelIR } from "../../src/ir/types.ts";

export function metaOf(ir: ModelIR) {
  return {
    name: ir.name,
    task: ir.task,
    nFeatures: ir.nFeatures,
    nOutputs: ir.nOutputs,
    featureNames: ir.featureNames,
    classes: ir.classes,
    outputClasses: ir.outputClasses,
    source: { library: ir.source.library, version: ir.source.version, objective: ir.source.objective },
    outputs: ["predict", ...(ir.proba.kind !== "none" ? ["predictProba"] : []), "predictRaw", ...(ir.outlier ? ["scoreSamples"] : [])],
  };
}
