// Reads LightGBM's JSON dump (Booster.dump_model, src/io/tree.cpp Tree::ToJSON) into the neutral
// LgbModel, walking the nested tree_structure with an explicit stack. Errors name the JSON path.

import { z } from "zod";
import { CompileError } from "../../errors.ts";
import { parseWith } from "../zodHelpers.ts";
import { LGB_CATEGORICAL_MASK, LGB_DEFAULT_LEFT_MASK, LGB_MAX_LEAVES, type LgbModel, type LgbTree } from "./model.ts";

const root = z.looseObject({
  name: z.literal("tree"),
  version: z.string(),
  num_class: z
    .number()
    .int()
    .min(1)
    .max(1 << 16),
  num_tree_per_iteration: z
    .number()
    .int()
    .min(1)
    .max(1 << 16),
  max_feature_idx: z
    .number()
    .int()
    .min(0)
    .max((1 << 24) - 1),
  objective: z.string().optional(),
  average_output: z.boolean().optional(),
  feature_names: z.array(z.string()),
  tree_info: z.array(
    z.looseObject({ tree_index: z.number().int().optional(), num_leaves: z.number().int().min(1).max(LGB_MAX_LEAVES), tree_structure: z.unknown() }),
  ),
  pandas_categorical: z.unknown().optional(),
});

export function isLightgbmDump(doc: unknown): boolean {
  return (
    typeof doc === "object" &&
    doc !== null &&
    (doc as Record<string, unknown>)["name"] === "tree" &&
    Array.isArray((doc as Record<string, unknown>)["tree_info"])
  );
}

const MISSING: Record<string, number> = { None: 0, Zero: 1, NaN: 2 };

export function readLightgbmDump(doc: unknown, file?: string): LgbModel {
  const m = parseWith(root, doc, file);
  const trees = m.tree_info.map((t, ti) => readTree(t.tree_structure, t.num_leaves, `$.tree_info[${ti}].tree_structure`, file));
  return {
    format: "lightgbm-json",
    version: m.version,
    numClass: m.num_class,
    numTreePerIteration: m.num_tree_per_iteration,
    maxFeatureIdx: m.max_feature_idx,
    objective: m.objective ?? "",
    averageOutput: m.average_output ?? false,
    featureNames: m.feature_names,
    pandasCategorical: m.pandas_categorical,
    trees,
    where: (field) => ({ file, path: `$.${field}` }),
  };
}

function readTree(structure: unknown, numLeaves: number, path: string, file?: string): LgbTree {
  const nInternal = numLeaves - 1;
  const t: LgbTree = {
    numLeaves,
    splitFeature: new Array(nInternal).fill(0),
    threshold: new Array(nInternal).fill(0),
    decisionType: new Array(nInternal).fill(0),
    leftChild: new Array(nInternal).fill(0),
    rightChild: new Array(nInternal).fill(0),
    leafValue: new Array(numLeaves).fill(0),
    catBoundaries: [0],
    catThreshold: [],
    where: (field, index) => ({ file, path: `${path}${index === undefined ? "" : ` (node ${index})`}.${field}` }),
  };
  const bad = (msg: string, at: string): never => {
    throw new CompileError("E_SCHEMA", msg, { file, path: at });
  };
  const num = (o: Record<string, unknown>, k: string, at: string): number => {
    const v = o[k];
    if (typeof v !== "number") bad(`expected a number, got ${v === undefined ? "nothing (missing field)" : typeof v}`, `${at}.${k}`);
    return v as number;
  };
  const seenInternal = new Uint8Array(Math.max(nInternal, 0));
  const seenLeaf = new Uint8Array(numLeaves);
  let linear: LgbTree["linear"];
  // stack of (node object, JSON path, parent index, side): side 0 left, 1 right, -1 root
  const stack: { node: unknown; at: string; parent: number; side: number }[] = [{ node: structure, at: path, parent: -1, side: -1 }];
  let nodes = 0;
  while (stack.length) {
    const { node, at, parent, side } = stack.pop()!;
    if (++nodes > 2 * numLeaves) bad(`more nodes than num_leaves ${numLeaves} allows`, at);
    if (typeof node !== "object" || node === null || Array.isArray(node)) bad("expected a node object", at);
    const o = node as Record<string, unknown>;
    let ref: number;
    if ("split_index" in o) {
      const s = num(o, "split_index", at);
      if (!(Number.isInteger(s) && s >= 0 && s < nInternal)) bad(`split_index out of range (expected 0..${nInternal - 1}, got ${s})`, `${at}.split_index`);
      if (seenInternal[s]) bad(`split_index ${s} appears twice`, `${at}.split_index`);
      seenInternal[s] = 1;
      t.splitFeature[s] = num(o, "split_feature", at);
      const dt = o["decision_type"];
      const missing = MISSING[String(o["missing_type"])];
      if (missing === undefined) bad(`missing_type must be None, Zero or NaN, got ${JSON.stringify(o["missing_type"])}`, `${at}.missing_type`);
      let type = (o["default_left"] === true ? LGB_DEFAULT_LEFT_MASK : 0) | (missing! << 2);
      if (dt === "==") {
        type |= LGB_CATEGORICAL_MASK;
        const thr = o["threshold"];
        const cats =
          typeof thr === "number"
            ? [thr]
            : typeof thr === "string"
              ? thr.length > 1 << 26
                ? bad(`categorical threshold string of ${thr.length} characters (at most ${1 << 26})`, `${at}.threshold`)
                : thr.split("||").map(Number)
              : bad('categorical threshold must be a string like "1||3"', `${at}.threshold`);
        if (cats.some((c) => !Number.isInteger(c) || c < 0)) bad(`categories must be non-negative integers, got ${JSON.stringify(thr)}`, `${at}.threshold`);
        // the same bitset words the text format stores
        const words: number[] = [];
        for (const c of cats) {
          const w = c >>> 5;
          while (words.length <= w) words.push(0);
          words[w] = (words[w]! | (1 << (c & 31))) >>> 0;
        }
        t.threshold[s] = t.catBoundaries.length - 1;
        t.catThreshold.push(...words);
        t.catBoundaries.push(t.catThreshold.length);
      } else if (dt === "<=") {
        // dump_model writes ±inf thresholds as ±1e300 (Common::AvoidInf); the model itself holds ±inf
        const v = num(o, "threshold", at);
        t.threshold[s] = v >= 1e300 ? Infinity : v <= -1e300 ? -Infinity : v;
      } else bad(`decision_type must be "<=" or "==", got ${JSON.stringify(dt)}`, `${at}.decision_type`);
      t.decisionType[s] = type;
      ref = s;
      stack.push(
        { node: o["right_child"], at: `${at}.right_child`, parent: s, side: 1 },
        { node: o["left_child"], at: `${at}.left_child`, parent: s, side: 0 },
      );
    } else {
      const li = "leaf_index" in o ? num(o, "leaf_index", at) : 0;
      if (!(Number.isInteger(li) && li >= 0 && li < numLeaves)) bad(`leaf_index out of range (expected 0..${numLeaves - 1}, got ${li})`, `${at}.leaf_index`);
      if (seenLeaf[li]) bad(`leaf_index ${li} appears twice`, `${at}.leaf_index`);
      seenLeaf[li] = 1;
      t.leafValue[li] = num(o, "leaf_value", at);
      if ("leaf_const" in o) {
        linear ??= {
          constant: new Array(numLeaves).fill(0),
          features: Array.from({ length: numLeaves }, () => []),
          coeffs: Array.from({ length: numLeaves }, () => []),
        };
        linear.constant[li] = num(o, "leaf_const", at);
        const f = o["leaf_features"];
        const c = o["leaf_coeff"];
        if (!Array.isArray(f) || !Array.isArray(c)) bad("linear leaf needs leaf_features and leaf_coeff arrays", at);
        linear.features[li] = (f as unknown[]).map(Number);
        linear.coeffs[li] = (c as unknown[]).map(Number);
      }
      ref = ~li;
    }
    if (parent >= 0) (side === 0 ? t.leftChild : t.rightChild)[parent] = ref;
  }
  if (linear) t.linear = linear;
  return t;
}
