// `modelc inspect`: the description of src/inspect.ts, printed.

import type { ApiOutput, ApiShape } from "../api/apiShape.ts";
import { returnKindOf } from "../api/apiTypes.ts";
import { inspect } from "../inspect.ts";
import type { LoadOptions } from "../loadModel.ts";

export function runInspect(model: string, opts: LoadOptions & { json?: boolean }): number {
  const d = inspect({ path: model }, opts);
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
  const strCols = d.columns?.filter((c) => c.kind !== "number") ?? [];
  if (strCols.length)
    lines.push(
      `columns    ${strCols
        .slice(0, 20)
        .map((c) => (c.kind === "category" ? `${JSON.stringify(c.name)} (${c.categories?.length ?? 0} strings)` : `${JSON.stringify(c.name)} (ignored)`))
        .join(", ")}${strCols.length > 20 ? ", …" : ""}; the others numbers; rows by column name (meta.features)`,
    );
  if (d.classes) lines.push(`classes    ${d.classes.map((c) => JSON.stringify(c)).join(", ")}`);
  if (d.outputClasses) lines.push(`classes    ${d.outputClasses.map((c) => `[${c.join(", ")}]`).join(" ")} (one label per output)`);
  if (d.preprocess) lines.push(`preprocess ${d.preprocess.steps.join(", ")} → ${d.preprocess.modelFeatures} model features`);
  if (d.kind === "trees") lines.push(`trees      ${d.trees}, ${d.nodes} nodes, ${d.leaves} leaves, max depth ${d.depth}`);
  else if (d.members) lines.push(`members    ${d.members.map((m) => `${m.use} ${m.objective ?? m.kind}`).join(", ")}`);
  else if (d.kernel)
    lines.push(`kernel     ${d.kernel.kernel}, ${d.kernel.supportVectors} support vectors, ${d.kernel.form === "ovo" ? "one-vs-one" : "single"} decision`);
  else if (d.mlp) lines.push(`mlp        layers ${d.mlp.layerSizes.join(" → ")}, ${d.mlp.activation} hidden activation`);
  else if (d.neighbors)
    lines.push(
      `neighbors  ${d.neighbors.k} of ${d.neighbors.samples} training samples, ${d.neighbors.metric}, ${d.neighbors.weights} weights (${d.neighbors.algorithm})`,
    );
  else lines.push(`linear     ${d.preprocess ? d.preprocess.modelFeatures : d.features} × ${d.outputs} weights`);
  if (d.parity !== "exact")
    lines.push(
      `parity     within ${d.parity.ulps} ulps${d.parity.dotProduct ? " or the dot-product rounding bound" : ""}${d.parity.neighborTies ? "; neighbours within the distance rounding bound may be chosen differently" : ""}`,
    );
  lines.push(`available  ${d.available.join(", ")}`, `returns    ${d.available.map((o) => `${o} → ${returns(d.api, o)}`).join(", ")}`);
  for (const n of d.notes ?? []) lines.push(`note       ${n}`);
  process.stdout.write(lines.join("\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "?") + "\n");
  return 0;
}

/** What a single-row output returns, in words: `number`, `label`, `number[3]`. */
function returns(api: ApiShape, o: ApiOutput): string {
  const kind = returnKindOf(api, o);
  if (kind !== "number[]" && kind !== "Float64Array") return kind === "label" ? `label (${api.label})` : kind;
  return `number[${o === "predict" ? api.predictWidth : o === "predictProba" ? api.proba : api.nOutputs}]`;
}
