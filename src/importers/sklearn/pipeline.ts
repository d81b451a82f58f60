// Pipeline and ColumnTransformer preprocessing to the IR's preprocessing program (types.ts Preprocess):
// each transformer maps a list of scratch slots (its input columns) to new slots, one double
// operation per value as scikit-learn computes it (sklearn/preprocessing/_data.py, _polynomial.py,
// sklearn/impute/_base.py, sklearn/compose/_column_transformer.py).

import { describe } from "../zodHelpers.ts";
import { nestedEstimator, numericData, readArray, type Est } from "./doc.ts";
import { functionTransformer, kBins, oneHot, ordinal, stringImputer, targetEncoder } from "./encoders.ts";
import { ProgramBuilder } from "./program.ts";

export { ProgramBuilder };

export const TRANSFORMER_CLASSES = [
  "StandardScaler",
  "MinMaxScaler",
  "MaxAbsScaler",
  "RobustScaler",
  "Normalizer",
  "SimpleImputer",
  "PolynomialFeatures",
  "VarianceThreshold",
  "SelectKBest",
  "SelectPercentile",
  "ColumnTransformer",
  "FunctionTransformer",
  "Pipeline",
  "OneHotEncoder",
  "OrdinalEncoder",
  "TargetEncoder",
  "KBinsDiscretizer",
];

/** Transformers that read string columns (the others refuse them by name). */
const STRING_READERS = new Set(["Pipeline", "ColumnTransformer", "OneHotEncoder", "OrdinalEncoder", "TargetEncoder", "SimpleImputer", "FunctionTransformer"]);

/** Apply one fitted transformer to the columns `cols` (slots); returns the output slots. */
export function applyTransformer(t: Est, cols: number[], p: ProgramBuilder): number[] {
  const vec = (name: string, n = cols.length): number[] => {
    const v = t.numbers(name);
    if (v.length !== n) t.fail(`expected ${n} values, got ${v.length}`, ["attrs", name], "E_SHAPE");
    return v;
  };
  const flag = (name: string, dflt: boolean): boolean => {
    const v = t.param(name);
    return v === undefined || v === null ? dflt : v === true;
  };
  if (!STRING_READERS.has(t.cls)) p.assertNumeric(cols, t);
  switch (t.cls) {
    case "OneHotEncoder":
      return oneHot(t, cols, p);
    case "OrdinalEncoder":
      return ordinal(t, cols, p);
    case "TargetEncoder":
      return targetEncoder(t, cols, p);
    case "KBinsDiscretizer":
      return kBins(t, cols, p);
    case "Pipeline":
      for (const s of pipelineSteps(t)) cols = s === "passthrough" ? cols : applyTransformer(s, cols, p);
      return cols;
    case "StandardScaler": // X -= mean_; X /= scale_
      if (flag("with_mean", true) && t.has("mean_")) cols = p.map("sub", cols, vec("mean_"));
      if (flag("with_std", true) && t.has("scale_")) cols = p.map("div", cols, vec("scale_"));
      return cols;
    case "MinMaxScaler": {
      // X *= scale_; X += min_; clip to feature_range
      cols = p.map("add", p.map("mul", cols, vec("scale_")), vec("min_"));
      if (t.param("clip") === true) {
        const fr = t.param("feature_range");
        if (!Array.isArray(fr) || fr.length !== 2 || typeof fr[0] !== "number" || typeof fr[1] !== "number")
          t.fail(`expected feature_range [min, max], got ${describe(fr)}`, ["params", "feature_range"]);
        const [lo, hi] = fr as [number, number];
        cols = p.map(
          "clip",
          cols,
          cols.map(() => lo),
          cols.map(() => hi),
        );
      }
      return cols;
    }
    case "MaxAbsScaler":
      return p.map("div", cols, vec("scale_"));
    case "RobustScaler":
      if (flag("with_centering", true) && t.has("center_")) cols = p.map("sub", cols, vec("center_"));
      if (flag("with_scaling", true) && t.has("scale_")) cols = p.map("div", cols, vec("scale_"));
      return cols;
    case "Normalizer": {
      const norm = t.paramString("norm", "l2");
      if (norm !== "l1" && norm !== "l2" && norm !== "max") t.unsupported(`norm ${JSON.stringify(norm)} is not supported`, ["params", "norm"]);
      const dst = p.fresh(cols.length);
      // normalize(): norms below 10·eps count as zero and become 1 (_handle_zeros_in_scale)
      p.steps.push({ kind: "normalize", norm: norm as "l1" | "l2" | "max", floor: 10 * 2.220446049250313e-16, src: Int32Array.from(cols), dst });
      if (norm !== "max") p.inexact.push(`Normalizer(norm="${norm}") sums with numpy's einsum/pairwise kernels (CPU-dependent order)`);
      return Array.from(dst);
    }
    case "SimpleImputer": {
      const mv = t.param("missing_values");
      if (!(typeof mv === "number" && Number.isNaN(mv)) && mv !== null && mv !== undefined)
        t.unsupported(`missing_values=${JSON.stringify(mv)} is not supported (only NaN)`, ["params", "missing_values"]);
      if (t.param("add_indicator") === true) t.unsupported("add_indicator=True is not supported", ["params", "add_indicator"]);
      const statsArr = readArray(t.attr("statistics_"), t, ["attrs", "statistics_"], 1);
      if (statsArr.data.length !== cols.length && statsArr.values?.length !== cols.length)
        t.fail(`expected ${cols.length} values, got ${statsArr.data.length}`, ["attrs", "statistics_"], "E_SHAPE");
      if (statsArr.dtype === "object" && statsArr.data.some((x) => typeof x === "string")) return stringImputer(t, cols, statsArr.data, p);
      p.assertNumeric(cols, t);
      const stats = vec("statistics_");
      const filled = p.map("fill", cols, stats);
      // features whose statistic is NaN (all missing in training) are dropped unless keep_empty_features
      if (t.param("keep_empty_features") === true) return filled;
      return filled.filter((_, j) => !Number.isNaN(stats[j]!));
    }
    case "PolynomialFeatures":
      return polynomial(t, cols, p);
    case "VarianceThreshold":
    case "SelectKBest":
    case "SelectPercentile": {
      const support = numericData(readArray(t.attr("support"), t, ["attrs", "support"], 1), t, ["attrs", "support"]);
      if (support.length !== cols.length) t.fail(`expected ${cols.length} support flags, got ${support.length}`, ["attrs", "support"], "E_SHAPE");
      return cols.filter((_, j) => support[j]);
    }
    case "FunctionTransformer":
      return functionTransformer(t, cols, p);
    case "ColumnTransformer":
      return columnTransformer(t, cols, p);
    default:
      return t.unsupported("is not a supported pipeline step", ["class"], `supported: ${TRANSFORMER_CLASSES.join(", ")}`);
  }
}

/** A Pipeline's fitted steps (estimators, or "passthrough" / null). */
export function pipelineSteps(pl: Est): (Est | "passthrough")[] {
  const steps = pl.attr("steps");
  if (!Array.isArray(steps)) pl.fail(`expected a list of steps, got ${describe(steps)}`, ["attrs", "steps"]);
  return (steps as unknown[]).map((s, i) => {
    if (!Array.isArray(s) || s.length !== 2) pl.fail(`expected [name, estimator], got ${describe(s)}`, ["attrs", "steps", i]);
    const e = (s as unknown[])[1];
    if (e === "passthrough" || e === null) return "passthrough";
    return nestedEstimator(e, pl, ["attrs", "steps", i, 1]);
  });
}

/** sklearn/preprocessing/_polynomial.py transform (dense): degree-d terms = degree-(d-1) terms × one feature. */
function polynomial(t: Est, cols: number[], p: ProgramBuilder): number[] {
  const deg = t.param("degree");
  let minD = 0;
  let maxD: number;
  if (typeof deg === "number") maxD = deg;
  else if (Array.isArray(deg) && deg.length === 2 && typeof deg[0] === "number" && typeof deg[1] === "number") [minD, maxD] = deg as [number, number];
  else return t.fail(`expected degree as an integer or [min, max], got ${describe(deg)}`, ["params", "degree"]);
  const interaction = t.param("interaction_only") === true;
  const bias = t.param("include_bias") !== false;
  const n = cols.length;
  const XP: number[] = []; // slot of each full output column
  const one = (): number => {
    const dst = p.fresh(1);
    p.steps.push({ kind: "product", a: Int32Array.of(-1), b: Int32Array.of(-1), dst });
    return dst[0]!;
  };
  if (bias) XP.push(one());
  if (maxD === 0) return XP;
  let index: number[] = [];
  for (let j = 0; j < n; j++) {
    index.push(XP.length);
    XP.push(cols[j]!);
  }
  index.push(XP.length);
  for (let d = 2; d <= maxD; d++) {
    const next: number[] = [];
    const end = index[index.length - 1]!;
    for (let f = 0; f < n; f++) {
      let start = index[f]!;
      next.push(XP.length);
      if (interaction) start += index[f + 1]! - index[f]!;
      if (end - start <= 0) break;
      const a = XP.slice(start, end);
      const dst = p.fresh(a.length);
      p.steps.push({ kind: "product", a: Int32Array.from(a), b: Int32Array.from(a, () => cols[f]!), dst });
      XP.push(...dst);
    }
    next.push(XP.length);
    index = next;
  }
  if (minD > 1) {
    const nOut = t.number("n_output_features_");
    return bias ? [XP[0]!, ...XP.slice(XP.length - nOut + 1)] : XP.slice(XP.length - nOut);
  }
  return XP;
}

/** sklearn/compose/_column_transformer.py: each fitted transformer on its columns, outputs side by side. */
function columnTransformer(ct: Est, cols: number[], p: ProgramBuilder): number[] {
  const trs = ct.attr("transformers_");
  if (!Array.isArray(trs)) ct.fail(`expected transformers_, got ${describe(trs)}`, ["attrs", "transformers_"]);
  const names = ct.featureNames();
  const out: number[] = [];
  (trs as unknown[]).forEach((entry, i) => {
    const at = ["attrs", "transformers_", i];
    if (!Array.isArray(entry) || entry.length !== 3) ct.fail(`expected [name, transformer, columns], got ${describe(entry)}`, at);
    const [, tr, spec] = entry as [unknown, unknown, unknown];
    const idx = columnIndices(ct, spec, cols.length, names, [...at, 2]);
    if (tr === "drop" || idx.length === 0) return;
    const sub = idx.map((j) => cols[j]!);
    if (tr === "passthrough") {
      out.push(...sub);
      return;
    }
    out.push(...applyTransformer(nestedEstimator(tr, ct, [...at, 1]), sub, p));
  });
  return out;
}

function columnIndices(ct: Est, spec: unknown, n: number, names: string[] | undefined, at: (string | number)[]): number[] {
  const fromList = (xs: unknown[]): number[] =>
    xs.map((x) => {
      if (typeof x === "number" && Number.isInteger(x)) return x < 0 ? n + x : x;
      if (typeof x === "boolean") return -1;
      if (typeof x === "string" && names) {
        const j = names.indexOf(x);
        if (j >= 0) return j;
      }
      return ct.fail(`cannot resolve column ${describe(x)}`, at);
    });
  if (typeof spec === "number") return fromList([spec]);
  if (typeof spec === "string") return fromList([spec]);
  if (Array.isArray(spec)) return fromList(spec);
  if (typeof spec === "object" && spec !== null && "ndarray" in spec) {
    const a = readArray(spec, ct, at, 1);
    if (a.dtype === "bool") return a.data.flatMap((b, j) => (b ? [j] : []));
    return fromList(a.data);
  }
  if (typeof spec === "object" && spec !== null && "slice" in spec) {
    const [start, stop, step] = (spec as { slice: (number | null)[] }).slice;
    const out: number[] = [];
    for (let j = start ?? 0; j < Math.min(stop ?? n, n); j += step ?? 1) out.push(j);
    return out;
  }
  return ct.fail(`unsupported column selection ${describe(spec)}`, at);
}
