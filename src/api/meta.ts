// The `meta` object a generated module exports (and a bundle's manifest records): the model's identity and outputs.

import type { ModelIR } from "../ir/types.ts";
import { apiOutputs, apiShape, type ApiShape } from "./apiShape.ts";

export function metaOf(ir: ModelIR, api: ApiShape = apiShape(ir)) {
  return {
    name: ir.name,
    task: ir.task,
    nFeatures: ir.nFeatures,
    nOutputs: ir.nOutputs,
    featureNames: ir.featureNames,
    /** table models: each input column's name, kind and (category columns) known strings */
    features: ir.columns?.map((c) => ({ name: c.name, kind: c.kind, ...(c.kind === "category" ? { categories: c.categories ?? [] } : {}) })),
    classes: ir.classes,
    outputClasses: ir.outputClasses,
    source: { library: ir.source.library, version: ir.source.version, objective: ir.source.objective },
    /** the single-row outputs the module answers (ApiShape.functions) */
    outputs: apiOutputs(api),
  };
}

/** A module's `meta` (optional fields are absent, not undefined, in the printed module). */
export type ModuleMeta = ReturnType<typeof metaOf>;
