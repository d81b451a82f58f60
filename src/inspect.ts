// What a model holds, as the IR sees it: format, version, task, features, classes, trees, nodes, depth,
// outputs and their types (`modelc inspect`, and `inspect()` of the API).

import { totalNodes } from "../emitters/registry.ts";
import { apiOutputs, apiShape } from "./api/apiShape.ts";
import { type CompileInput, importModel } from "./compile.ts";
import { NODE_LEAF, type ModelIR } from "./ir/types.ts";
import type { LoadOptions } from "./loadModel.ts";

/** Reads a model and describes it (no code is generated). */
export function inspect(input: CompileInput, options: LoadOptions & { file?: string } = {}): ModelDescription {
  return describeModel(importModel(input, options));
}

export type ModelDescription = ReturnType<typeof describeModel>;

export function describeModel(ir: ModelIR) {
  const m = ir.model;
  const api = apiShape(ir);
  let depth = 0;
  let leaves = 0;
  if (m.kind === "trees") {
    for (const t of m.trees) {
      // depth by a forward pass over the preorder layout (children after parents)
      const d = new Int32Array(t.nNodes);
      for (let n = 0; n < t.nNodes; n++) {
        if (t.kind[n] === NODE_LEAF) {
          leaves++;
          if (d[n]! > depth) depth = d[n]!;
          continue;
        }
        d[n + 1] = d[n]! + 1;
        d[t.right[n]!] = d[n]! + 1;
      }
    }
  }
  return {
    name: ir.name,
    format: ir.source.format,
    library: ir.source.library,
    version: ir.source.version,
    objective: ir.source.objective,
    booster: ir.source.booster,
    task: ir.task,
    features: ir.nFeatures,
    featureNames: ir.featureNames,
    categoricalFeatures: ir.featureTypes?.flatMap((t, i) => (t === "categorical" ? [i] : [])),
    /** table models: the columns (src/ir/types.ts InputColumn), category columns with their known strings */
    columns: ir.columns?.map((c) => ({ name: c.name, kind: c.kind, ...(c.kind === "category" ? { categories: c.categories ?? [] } : {}) })),
    classes: ir.classes,
    outputs: ir.nOutputs,
    kind: m.kind,
    trees: m.kind === "trees" ? m.trees.length : 0,
    nodes: totalNodes(ir),
    leaves,
    depth,
    mlp: m.kind === "mlp" ? { activation: m.hidden, layerSizes: [m.layers[0]!.nIn, ...m.layers.map((L) => L.nOut)] } : undefined,
    numberType: m.kind === "kernel" || m.kind === "mlp" || m.kind === "neighbors" || m.kind === "composite" ? "float64" : m.accumulate,
    transform: ir.transform,
    members: m.kind === "composite" ? m.members.map((c) => ({ kind: c.ir.model.kind, objective: c.ir.source.objective, use: c.use })) : undefined,
    kernel: m.kind === "kernel" ? { kernel: m.kernel, supportVectors: m.nSV, form: m.form, rawShape: m.rawShape } : undefined,
    neighbors: m.kind === "neighbors" ? { samples: m.nSamples, k: m.k, metric: m.metric, weights: m.weights, algorithm: m.algorithm, sort: m.sort } : undefined,
    preprocess: ir.preprocess
      ? { steps: ir.preprocess.steps.map((s) => (s.kind === "map" ? s.op : s.kind)), modelFeatures: ir.preprocess.output.length }
      : undefined,
    parity: ir.parity ?? "exact",
    outputClasses: ir.outputClasses,
    // outlier detectors: predictRaw is decision_function, scoreSamples score_samples
    available: apiOutputs(api),
    /** the generated module's functions and what they return (src/api/apiShape.ts) */
    api,
    notes: ir.notes,
  };
}
