// scikit-learn's categorical transformers to the IR's lookup and bins steps (types.ts LookupStep, BinsStep):
// OneHotEncoder, OrdinalEncoder, TargetEncoder (sklearn/preprocessing/_encoders.py, _target_encoder.py),
// KBinsDiscretizer (_discretization.py), SimpleImputer on string columns, and FunctionTransformer's
// allow-listed numpy functions. Each encoder's output for every known category, for NaN and for an unknown
// value is computed here, once, in scikit-learn's own order of operations; the step only looks rows up.

import type { FuncName } from "../../ir/types.ts";
import { describe } from "../zodHelpers.ts";
import { type Est, numericData, readArray } from "./doc.ts";
import type { LookupInput, ProgramBuilder } from "./program.ts";

type Seg = string | number;

/** One feature's fitted categories, as the values the encoder compares (strings, numbers, None as null, NaN). */
function categoriesOf(t: Est, n: number, name = "categories_"): unknown[][] {
  const v = t.attr(name);
  if (!Array.isArray(v) || v.length !== n) t.fail(`expected ${n} category arrays, got ${describe(v)}`, ["attrs", name], "E_SHAPE");
  return (v as unknown[]).map((c, i) => {
    const a = readArray(c, t, ["attrs", name, i], 1);
    if (a.dtype === "object" || a.dtype === "str") return a.data;
    return numericData(a, t, ["attrs", name, i]);
  });
}

/** A per-feature list attribute whose entries are None or an integer array (None when the attribute is absent). */
function perFeature(t: Est, name: string, n: number): (number[] | null)[] {
  if (!t.has(name)) return new Array(n).fill(null);
  const v = t.attr(name);
  if (!Array.isArray(v) || v.length !== n) t.fail(`expected ${n} entries, got ${describe(v)}`, ["attrs", name], "E_SHAPE");
  return (v as unknown[]).map((e, i) => (e === null ? null : numericData(readArray(e, t, ["attrs", name, i], 1), t, ["attrs", name, i])));
}

/** drop_idx_ / _drop_idx_after_grouping: None, or per feature None or an index. */
function dropIndices(t: Est, n: number): (number | null)[] {
  const name = t.has("_drop_idx_after_grouping") ? "_drop_idx_after_grouping" : "drop_idx_";
  if (!t.has(name)) return new Array(n).fill(null);
  const a = readArray(t.attr(name), t, ["attrs", name], 1);
  if (a.data.length !== n && !(a.values && a.values.length === n)) t.fail(`expected ${n} entries`, ["attrs", name], "E_SHAPE");
  const data = a.values ? Array.from(a.values) : a.data;
  return data.map((d, i) => {
    if (d === null) return null;
    if (typeof d !== "number" || !Number.isInteger(d)) return t.fail(`expected an index or None, got ${describe(d)}`, ["attrs", name, "ndarray", "data", i]);
    return d;
  });
}

/**
 * The encoded category index of every known category and of an unknown value, after scikit-learn's infrequent
 * grouping (_BaseEncoder._transform + _map_infrequent_categories): `known[c]` for category c, `unknown` for a
 * value outside the categories (-1: masked out), `unknownMasked` whether the unknown value stays masked.
 */
function grouped(t: Est, i: number, nCats: number, handleUnknown: string, infrequent: (number[] | null)[], mappings: (number[] | null)[], missing?: number) {
  const known = Array.from({ length: nCats }, (_, c) => c);
  let unknown = 0; // _transform sets an unknown value to categories_[i][0] and masks it
  let unknownMasked = true;
  const enabled = t.has("_infrequent_enabled") ? t.attr("_infrequent_enabled") === true : false;
  if (enabled) {
    const inf = infrequent[i];
    if (inf && inf.length > 0) {
      unknown = inf[0]!;
      if (handleUnknown === "infrequent_if_exist" || handleUnknown === "warn") unknownMasked = false;
    }
    const map = mappings[i];
    if (map) {
      // OrdinalEncoder leaves its missing category out of the grouping (ignore_category_indices): one mapping less
      const n = missing === undefined ? nCats : nCats - 1;
      if (map.length !== n) t.fail(`expected ${n} infrequent mappings, got ${map.length}`, ["attrs", "_default_to_infrequent_mappings", i], "E_SHAPE");
      for (let c = 0; c < nCats; c++) if (c !== missing) known[c] = map[c]!;
      unknown = map[unknown]!;
    }
  }
  return { known, unknown, unknownMasked };
}

/** OneHotEncoder.transform (dense): one indicator column per kept category, after infrequent grouping and drop. */
export function oneHot(t: Est, cols: number[], p: ProgramBuilder): number[] {
  const n = cols.length;
  const cats = categoriesOf(t, n);
  const handleUnknown = t.paramString("handle_unknown", "error");
  if (!["error", "ignore", "infrequent_if_exist", "warn"].includes(handleUnknown))
    t.unsupported(`handle_unknown=${JSON.stringify(handleUnknown)} is not supported`, ["params", "handle_unknown"]);
  const infrequent = perFeature(t, "_infrequent_indices", n);
  const mappings = perFeature(t, "_default_to_infrequent_mappings", n);
  const drops = dropIndices(t, n);
  const outs = t.has("_n_features_outs") ? (t.attr("_n_features_outs") as unknown[]) : cats.map((c) => c.length);
  if (!Array.isArray(outs) || outs.length !== n || outs.some((w) => typeof w !== "number"))
    t.fail(`expected ${n} output widths, got ${describe(outs)}`, ["attrs", "_n_features_outs"], "E_SHAPE");
  const inputs: LookupInput[] = cols.map((slot, i) => {
    const width = outs[i] as number;
    const g = grouped(t, i, cats[i]!.length, handleUnknown, infrequent, mappings);
    const drop = drops[i];
    /** the indicator row of encoded index x (masked: all zeros) */
    const row = (x: number, masked: boolean): number[] => {
      const r = new Array<number>(width).fill(0);
      if (masked) return r;
      if (drop !== null && drop !== undefined) {
        if (x === drop) return r;
        if (x > drop) x -= 1;
      }
      if (x < 0 || x >= width) t.fail(`category index ${x} outside the ${width} output columns`, ["attrs", "_n_features_outs", i], "E_SHAPE");
      r[x] = 1;
      return r;
    };
    return {
      slot,
      categories: cats[i]!,
      at: ["attrs", "categories_", i],
      rows: g.known.map((x) => row(x, false)),
      unknown: row(g.unknown, g.unknownMasked),
      unknownFails: handleUnknown === "error",
      width,
    };
  });
  return p.lookup(t, inputs);
}

/** OrdinalEncoder.transform: the (grouped) category index; missing → encoded_missing_value; unknown → unknown_value. */
export function ordinal(t: Est, cols: number[], p: ProgramBuilder): number[] {
  const n = cols.length;
  const cats = categoriesOf(t, n);
  const handleUnknown = t.paramString("handle_unknown", "error");
  if (handleUnknown !== "error" && handleUnknown !== "use_encoded_value")
    t.unsupported(`handle_unknown=${JSON.stringify(handleUnknown)} is not supported`, ["params", "handle_unknown"]);
  const unknownValue = handleUnknown === "use_encoded_value" ? t.paramNumber("unknown_value", Number.NaN) : Number.NaN;
  const missingValue = t.paramNumber("encoded_missing_value", Number.NaN);
  const dtype = t.param("dtype");
  if (dtype !== undefined && dtype !== null && !(typeof dtype === "object" && /float64/.test(JSON.stringify(dtype))))
    t.unsupported(`dtype ${describe(dtype)} is not supported (only float64)`, ["params", "dtype"]);
  const infrequent = perFeature(t, "_infrequent_indices", n);
  const mappings = perFeature(t, "_default_to_infrequent_mappings", n);
  const missingIdx = new Map<number, number>();
  if (t.has("_missing_indices")) {
    const d = t.attr("_missing_indices") as { dict?: Record<string, unknown> };
    for (const [k, v] of Object.entries(d?.dict ?? {})) if (typeof v === "number") missingIdx.set(Number(k), v);
  }
  const inputs: LookupInput[] = cols.map((slot, i) => {
    const nCats = cats[i]!.length;
    const mi = missingIdx.get(i);
    // newer releases leave the missing category out of the infrequent grouping (ignore_category_indices)
    const g = grouped(t, i, nCats, handleUnknown, infrequent, mappings, mi);
    // the missing category, and any category grouped onto its index, encode as encoded_missing_value
    const rows = g.known.map((x, c) => [mi !== undefined && (c === mi || x === mi) ? missingValue : x]);
    let unknown = g.unknown;
    if (mi !== undefined && unknown === mi) unknown = missingValue;
    return {
      slot,
      categories: cats[i]!,
      at: ["attrs", "categories_", i],
      rows,
      unknown: [handleUnknown === "use_encoded_value" ? unknownValue : unknown],
      unknownFails: handleUnknown === "error",
      width: 1,
    };
  });
  return p.lookup(t, inputs);
}

/** TargetEncoder.transform: encodings_ of the category (per class for multiclass); unknown → target_mean_. */
export function targetEncoder(t: Est, cols: number[], p: ProgramBuilder): number[] {
  const n = cols.length;
  const cats = categoriesOf(t, n);
  const type = t.attr("target_type_");
  const nc = type === "multiclass" ? t.classes().length : 1;
  const enc = t.attr("encodings_");
  if (!Array.isArray(enc) || enc.length !== n * nc) t.fail(`expected ${n * nc} encodings, got ${describe(enc)}`, ["attrs", "encodings_"], "E_SHAPE");
  const encodings = (enc as unknown[]).map((e, j) => numericData(readArray(e, t, ["attrs", "encodings_", j], 1), t, ["attrs", "encodings_", j]));
  const mean = type === "multiclass" ? t.numbers("target_mean_", 1) : [t.number("target_mean_")];
  if (mean.length !== nc) t.fail(`expected ${nc} target means, got ${mean.length}`, ["attrs", "target_mean_"], "E_SHAPE");
  const inputs: LookupInput[] = cols.map((slot, i) => {
    const nCats = cats[i]!.length;
    for (let j = 0; j < nc; j++)
      if (encodings[i * nc + j]!.length !== nCats) t.fail(`expected ${nCats} encodings`, ["attrs", "encodings_", i * nc + j], "E_SHAPE");
    return {
      slot,
      categories: cats[i]!,
      at: ["attrs", "categories_", i],
      rows: Array.from({ length: nCats }, (_, c) => Array.from({ length: nc }, (_, j) => encodings[i * nc + j]![c]!)),
      unknown: mean,
      unknownFails: false,
      width: nc,
    };
  });
  return p.lookup(t, inputs);
}

/** KBinsDiscretizer.transform: np.searchsorted(bin_edges_[j][1:-1], x, side="right"), then one-hot unless ordinal. */
export function kBins(t: Est, cols: number[], p: ProgramBuilder): number[] {
  const n = cols.length;
  const encode = t.paramString("encode", "onehot");
  if (encode !== "ordinal" && encode !== "onehot-dense" && encode !== "onehot")
    t.unsupported(`encode=${JSON.stringify(encode)} is not supported`, ["params", "encode"]);
  const edgesAttr = readArray(t.attr("bin_edges_"), t, ["attrs", "bin_edges_"], 1);
  if (edgesAttr.data.length !== n) t.fail(`expected ${n} edge arrays, got ${edgesAttr.data.length}`, ["attrs", "bin_edges_"], "E_SHAPE");
  const edges = edgesAttr.data.map((e, j) => {
    const at: Seg[] = ["attrs", "bin_edges_", "ndarray", "data", j];
    return numericData(readArray(e, t, at, 1), t, at).slice(1, -1);
  });
  const bins = p.bins(t, cols, edges);
  if (encode === "ordinal") return bins;
  // _encoder: OneHotEncoder(categories=[np.arange(i) for i in n_bins_]), handle_unknown "error", no drop
  const nBins = t.numbers("n_bins_", 1);
  return p.lookup(
    t,
    bins.map((slot, j) => {
      const k = nBins[j]!;
      const oneHot = (c: number) => Array.from({ length: k }, (_, x) => (x === c ? 1 : 0));
      return {
        slot,
        categories: Array.from({ length: k }, (_, c) => c),
        at: ["attrs", "n_bins_"],
        rows: Array.from({ length: k }, (_, c) => oneHot(c)),
        unknown: oneHot(-1),
        unknownFails: true,
        width: k,
      };
    }),
  );
}

/** SimpleImputer on string columns (statistics_ holds strings): NaN becomes the statistic's code. */
export function stringImputer(t: Est, cols: number[], stats: unknown[], p: ProgramBuilder): number[] {
  const codes = cols.map((slot, j) => {
    const s = stats[j];
    if (typeof s !== "string") return t.unsupported(`mixes string and ${describe(s)} statistics`, ["attrs", "statistics_", "ndarray", "data", j]);
    return p.code(p.stringColumn(slot, t, ["attrs", "statistics_"]), s);
  });
  const out = p.map("fill", cols, codes);
  out.forEach((slot, j) => p.markString(slot, p.stringColumn(cols[j]!, t, [])));
  return out;
}

const FUNCS: Record<string, FuncName | "identity"> = {
  "numpy.log1p": "log1p",
  "numpy.expm1": "expm1",
  "numpy.log": "log",
  "numpy.exp": "exp",
  "numpy.sqrt": "sqrt",
};

/** FunctionTransformer: func None (identity) or a numpy function of the allow-list, without kw_args. */
export function functionTransformer(t: Est, cols: number[], p: ProgramBuilder): number[] {
  const f = t.param("func");
  if (f === null || f === undefined) return cols;
  // HistGradientBoosting's _preprocessor: FunctionTransformer(partial(check_array, dtype=float64, ...)), a no-op on numbers
  if (p.hgbPreprocessor && typeof f === "object" && f !== null && (f as { object?: unknown }).object === "functools.partial") {
    p.assertNumeric(cols, t);
    return cols;
  }
  const name = typeof f === "object" && f !== null && "function" in f ? String((f as { function: unknown }).function) : undefined;
  const fn = name === undefined ? undefined : FUNCS[name];
  if (fn === undefined)
    return t.unsupported(`func ${describe(name ?? f)} is not supported`, ["params", "func"], `supported: None, ${Object.keys(FUNCS).join(", ")}`);
  const kw = t.param("kw_args");
  if (kw !== null && kw !== undefined) t.unsupported("kw_args are not supported", ["params", "kw_args"]);
  p.assertNumeric(cols, t);
  if (fn === "identity") return cols;
  if (fn !== "log1p" && fn !== "sqrt") p.inexact.push(`FunctionTransformer(np.${fn}) is numpy's ${fn} (CPU-dependent SIMD or libm); modelc uses glibc's`);
  return p.func(fn, cols);
}
