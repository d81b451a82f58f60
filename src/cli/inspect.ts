// `modelc inspect`: what a model file holds, as the IR sees it.

import { totalNodes } from "../../emitters/registry.ts";
import { apiOutputs, apiShape, type ApiOutput, type ApiShape } from "../api/apiShape.ts";
import { returnKindOf } from "../api/apiTypes.ts";
import { NODE_LEAF, type ModelIR } from "../ir/types.ts";
import { importModel } from "../compile.ts";
import type { LoadOptions } from "../loadModel.ts";

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
    classes: ir.classes,
    outputs: ir.nOutputs,
    kind: m.kind,
    trees: m.kind === "trees" ? m.trees.length : 0,
    nodes: totalNodes(ir),
    leaves,
    depth,
    numberType: m.kind === "kernel" ? "float64" : m.accumulate,
    transform: ir.transform,
    kernel: m.kind === "kernel" ? { kernel: m.kernel, supportVectors: m.nSV, form: m.form, rawShape: m.rawShape } : undefined,
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

export function runInspect(model: string, opts: LoadOptions & { json?: boolean }): number {
  const ir = importModel({ path: model }, opts);
  const d = describeModel(ir);
  if (opts.json) {
    process.stdout.write(JSON.stringify(d, null, 2) + "\n");
    return 0;
  }
  const lines = [
    `model      ${model}`,
    `format     ${d.format} (${d.library} ${d.version})`,
    `objective  ${d.objective ?? "-"}${d.booster ? `  booster ${d.booster}` : ""}`,
    `task       ${d.task}, ${d.outputs} output${d.outputs === 1 ? "" : "s"}, ${d.numberType} arithmetic, transform ${d.transform}`,
    `features   ${d.features}${
      d.featureNames
        ? `: ${d.featureNames
            .slice(0, 20)
            .map((n) => JSON.stringify(n))
            .join(", ")}${d.features > 20 ? ", …" : ""}`
        : ""
    }`,
  ];
  if (d.categoricalFeatures?.length) lines.push(`categorical features ${d.categoricalFeatures.join(", ")}`);
  if (d.classes) lines.push(`classes    ${d.classes.map((c) => JSON.stringify(c)).join(", ")}`);
  if (d.outputClasses) lines.push(`classes    ${d.outputClasses.map((c) => `[${c.join(", ")}]`).join(" ")} (one label per output)`);
  if (d.preprocess) lines.push(`preprocess ${d.preprocess.steps.join(", ")} → ${d.preprocess.modelFeatures} model features`);
  if (d.kind === "trees") lines.push(`trees      ${d.trees}, ${d.nodes} nodes, ${d.leaves} leaves, max depth ${d.depth}`);
  else if (d.kernel)
    lines.push(`kernel     ${d.kernel.kernel}, ${d.kernel.supportVectors} support vectors, ${d.kernel.form === "ovo" ? "one-vs-one" : "single"} decision`);
  else lines.push(`linear     ${d.preprocess ? d.preprocess.modelFeatures : d.features} × ${d.outputs} weights`);
  if (d.parity !== "exact") lines.push(`parity     within ${d.parity.ulps} ulps${d.parity.dotProduct ? " or the dot-product rounding bound" : ""}`);
  lines.push(`available  ${d.available.join(", ")}`, `returns    ${d.available.map((o) => `${o} → ${returns(d.api, o)}`).join(", ")}`);
  for (const n of d.notes ?? []) lines.push(`note       ${n}`);
  process.stdout.write(lines.join("\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "?") + "\n");
  return 0;
}

/** What a single-row output returns, in words: `number`, `label`, `Float64Array(3)`. */
function returns(api: ApiShape, o: ApiOutput): string {
  const kind = returnKindOf(api, o);
  if (kind !== "Float64Array") return kind === "label" ? `label (${api.label})` : kind;
  return `Float64Array(${o === "predict" ? api.predictWidth : o === "predictProba" ? api.proba : api.nOutputs})`;
}
