// Reads LightGBM's text model (Booster.save_model, src/boosting/gbdt_model_text.cpp, src/io/tree.cpp
// Tree::ToString) into the neutral LgbModel. Errors name the line.

import { CompileError } from "../../errors.ts";
import { LGB_MAX_LEAVES, type LgbModel, type LgbTree } from "./model.ts";

interface Field {
  value: string;
  line: number;
}

function parseNumber(s: string): number {
  const t = s.trim().toLowerCase();
  if (t === "inf" || t === "+inf" || t === "infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  if (t === "nan" || t === "-nan") return NaN;
  if (t === "" || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number.NaN;
  return Number(t);
}

/** Most values on one line (a tree's arrays, feature_names, tree_sizes). */
export const MAX_LGB_LINE_VALUES = 2 ** 24;

/**
 * LightGBM writes and splits values on ASCII whitespace only (C++ isspace): a feature name may hold U+2028 or
 * U+00A0, which JavaScript's \s and trim() would treat as separators.
 */
const ASCII_SPACE = /[ \t\n\v\f\r]+/;

export function asciiTrim(s: string): string {
  return s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
}

/** Whitespace-separated words of a line, at most `max` (the caller tells a longer line by the count). */
function words(s: string, max: number): string[] {
  const t = asciiTrim(s);
  return t === "" ? [] : t.split(ASCII_SPACE, max);
}

export function isLightgbmText(text: string): boolean {
  const head = text.slice(0, 200).replace(/^\uFEFF/, "");
  return /^tree\r?\n/.test(head) || /^tree\r?\nversion=/.test(head) || (/^tree\b/.test(head) && head.includes("version="));
}

/** Most lines a LightGBM text model may have (~24 per tree: about 700,000 trees). */
export const MAX_LGB_TEXT_LINES = 2 ** 24;

export function readLightgbmText(text: string, file?: string): LgbModel {
  // split stops at the limit: a file of millions of (blank) lines fails before an array of them is made
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/, MAX_LGB_TEXT_LINES + 1);
  if (lines.length > MAX_LGB_TEXT_LINES)
    throw new CompileError("E_LIMIT", `more than ${MAX_LGB_TEXT_LINES} lines; modelc reads LightGBM text models up to that many`, {
      file,
      line: MAX_LGB_TEXT_LINES + 1,
    });
  const fail = (msg: string, line: number, hint?: string): never => {
    throw new CompileError("E_SHAPE", msg, { file, line }, hint);
  };
  if (lines[0]?.trim() !== "tree") fail('not a LightGBM text model (expected "tree" on the first line)', 1);

  const header = new Map<string, Field>();
  let i = 1;
  let averageOutput = false;
  for (; i < lines.length; i++) {
    const l = asciiTrim(lines[i]!);
    if (l.startsWith("Tree=") || l === "end of trees") break;
    if (l === "") continue;
    if (l === "average_output") {
      averageOutput = true;
      continue;
    }
    const eq = l.indexOf("=");
    if (eq > 0) header.set(l.slice(0, eq), { value: l.slice(eq + 1), line: i + 1 });
  }
  const need = (key: string): Field => header.get(key) ?? fail(`missing header field ${key}`, 1);
  const int = (f: Field, key: string, max = 1 << 24): number => {
    const v = parseNumber(f.value);
    if (!Number.isInteger(v) || v < 0 || v > max) fail(`${key} must be an integer in 0..${max}, got ${JSON.stringify(f.value.slice(0, 30))}`, f.line);
    return v;
  };

  const trees: LgbTree[] = [];
  const treeLines: number[] = [];
  while (i < lines.length && lines[i]!.trim().startsWith("Tree=")) {
    const start = i;
    const idx = Number(lines[i]!.trim().slice(5));
    if (idx !== trees.length) fail(`expected Tree=${trees.length}, got ${lines[i]!.trim()}`, i + 1, "a Tree= block is missing or out of order");
    const fields = new Map<string, Field>();
    for (i++; i < lines.length; i++) {
      const l = lines[i]!.trim();
      if (l.startsWith("Tree=") || l === "end of trees") break;
      if (l === "") continue;
      const eq = l.indexOf("=");
      if (eq <= 0) fail(`expected key=value in tree ${idx}, got ${JSON.stringify(l.slice(0, 40))}`, i + 1);
      fields.set(l.slice(0, eq), { value: l.slice(eq + 1), line: i + 1 });
    }
    treeLines.push(start + 1);
    trees.push(readTree(fields, idx, start + 1, fail));
  }
  if (i >= lines.length || lines[i]!.trim() !== "end of trees")
    fail(`expected "end of trees" after tree ${trees.length - 1}`, Math.min(i + 1, lines.length), "the file is truncated or a Tree= block is malformed");

  const sizes = header.get("tree_sizes");
  if (sizes) {
    const n = words(sizes.value, trees.length + 1).length;
    if (n !== trees.length) fail(`tree_sizes lists ${n} trees, the file has ${trees.length} Tree= blocks`, sizes.line, "a Tree= block is missing");
  }

  let pandasCategorical: unknown;
  for (let j = i; j < lines.length; j++) {
    const l = lines[j]!;
    if (l.startsWith("pandas_categorical:")) {
      if (l.length > 1 << 26) throw new CompileError("E_LIMIT", `pandas_categorical of ${l.length} characters (at most ${1 << 26})`, { file, line: j + 1 });
      try {
        pandasCategorical = JSON.parse(l.slice("pandas_categorical:".length));
      } catch {
        fail("pandas_categorical is not valid JSON", j + 1);
      }
    }
  }

  const featureNames = words(header.get("feature_names")?.value ?? "", MAX_LGB_LINE_VALUES + 1);
  if (featureNames.length > MAX_LGB_LINE_VALUES) fail(`more than ${MAX_LGB_LINE_VALUES} feature_names`, header.get("feature_names")!.line);
  const maxFeatureIdx = int(need("max_feature_idx"), "max_feature_idx", (1 << 24) - 1);
  return {
    format: "lightgbm-text",
    version: header.get("version")?.value ?? "unknown",
    numClass: int(need("num_class"), "num_class", 1 << 16),
    numTreePerIteration: int(need("num_tree_per_iteration"), "num_tree_per_iteration", 1 << 16),
    maxFeatureIdx,
    objective: asciiTrim(header.get("objective")?.value ?? ""),
    averageOutput,
    featureNames,
    pandasCategorical,
    trees,
    where: (field) => ({ file, line: header.get(field)?.line ?? 1 }),
  };
}

function readTree(fields: Map<string, Field>, idx: number, line: number, fail: (m: string, l: number, h?: string) => never): LgbTree {
  const numLeavesF = fields.get("num_leaves") ?? fail(`tree ${idx}: missing num_leaves`, line);
  const numLeaves = parseNumber(numLeavesF.value);
  if (!Number.isInteger(numLeaves) || numLeaves < 1 || numLeaves > LGB_MAX_LEAVES)
    fail(`tree ${idx}: num_leaves must be an integer in 1..${LGB_MAX_LEAVES}, got ${numLeavesF.value}`, numLeavesF.line);
  const numCat = Number(fields.get("num_cat")?.value ?? "0");
  const arr = (key: string, expected: number | undefined, opts: { int?: boolean; optional?: boolean } = {}): number[] => {
    const f = fields.get(key);
    if (!f) {
      if (opts.optional || expected === 0) return [];
      return fail(`tree ${idx}: missing ${key}`, line);
    }
    const parts = words(f.value, (expected ?? MAX_LGB_LINE_VALUES) + 1);
    if (expected === undefined && parts.length > MAX_LGB_LINE_VALUES) fail(`tree ${idx}: more than ${MAX_LGB_LINE_VALUES} ${key} values`, f.line);
    if (expected !== undefined && parts.length !== expected)
      fail(`tree ${idx}: expected ${expected} ${key} values, got ${parts.length > expected ? "more" : parts.length}`, f.line);
    const out = parts.map(parseNumber);
    const bad = out.findIndex((v, k) => (opts.int ? !Number.isInteger(v) : Number.isNaN(v) && !/nan/i.test(parts[k]!)));
    if (bad >= 0) fail(`tree ${idx}: ${key}[${bad}] is not a ${opts.int ? "integer" : "number"}: ${JSON.stringify(parts[bad]!.slice(0, 30))}`, f.line);
    if (expected !== undefined && out.length !== expected) fail(`tree ${idx}: expected ${expected} ${key} values, got ${out.length}`, f.line);
    return out;
  };
  const nInternal = numLeaves - 1;
  const tree: LgbTree = {
    numLeaves,
    splitFeature: arr("split_feature", nInternal, { int: true }),
    threshold: arr("threshold", nInternal),
    decisionType: arr("decision_type", nInternal, { int: true }),
    leftChild: arr("left_child", nInternal, { int: true }),
    rightChild: arr("right_child", nInternal, { int: true }),
    leafValue: arr("leaf_value", numLeaves),
    catBoundaries: numCat > 0 ? arr("cat_boundaries", numCat + 1, { int: true }) : [],
    catThreshold: numCat > 0 ? arr("cat_threshold", undefined, { int: true }) : [],
    where: (field) => ({ line: fields.get(field)?.line ?? line }),
  };
  if (fields.get("is_linear")?.value.trim() === "1") {
    const constant = arr("leaf_const", numLeaves);
    const counts = arr("num_features", numLeaves, { int: true });
    const total = counts.reduce((a, b) => a + b, 0);
    const feats = arr("leaf_features", total, { int: true });
    const coeffs = arr("leaf_coeff", total);
    const features: number[][] = [];
    const cs: number[][] = [];
    let o = 0;
    for (const c of counts) {
      features.push(feats.slice(o, o + c));
      cs.push(coeffs.slice(o, o + c));
      o += c;
    }
    tree.linear = { constant, features, coeffs: cs };
  }
  return tree;
}
