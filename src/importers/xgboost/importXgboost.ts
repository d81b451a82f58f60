// XGBoost's native model (JSON or UBJSON, versions 1.x–3.x) to the IR.
// Semantics: src/predictor/predict_fn.h, src/common/categorical.h, src/gbm/gbtree_model.cc, src/learner.cc.

import { CompileError } from "../../errors.ts";
import { buildLinear, EnsembleBuilder, type TreeFieldNames } from "../../ir/builder.ts";
import type { ModelIR } from "../../ir/types.ts";
import type { ImportOptions } from "../importOptions.ts";
import { parseWith } from "../zodHelpers.ts";
import { baseMargin, objectiveInfo, SUPPORTED_OBJECTIVES, versionAtLeast } from "./objectives.ts";
import { xgboostSchemas, type XgbGbtreeModel, type XgbTree } from "./schema.ts";

export type XgboostImportOptions = ImportOptions;

const FIELDS: TreeFieldNames = {
  left: "left_children",
  right: "right_children",
  feature: "split_indices",
  threshold: "split_conditions",
  leaf: "split_conditions",
};

const LEARNER = ["learner"];
const BOOSTER = [...LEARNER, "gradient_booster"];

export function importXgboost(doc: unknown, opts: XgboostImportOptions = {}): ModelIR {
  const file = opts.file;
  const S = xgboostSchemas(!opts.lenient);
  const root = parseWith(S.root, doc, file);
  const version = root.version;
  const learner = parseWith(S.learner, root.learner, file, LEARNER);
  const lmp = learner.learner_model_param;
  const objective = learner.objective.name;
  const info = objectiveInfo(objective);
  if (!info)
    throw new CompileError(
      "E_UNSUPPORTED",
      `objective ${JSON.stringify(objective)} is not supported`,
      { file, path: "$.learner.objective.name" },
      `supported: ${SUPPORTED_OBJECTIVES.join(", ")}`,
    );

  const P = "$.learner.learner_model_param";
  const nFeatures = intParam(lmp.num_feature, 1, 1 << 24, file, `${P}.num_feature`);
  const numClass = intParam(lmp.num_class, 0, 1 << 16, file, `${P}.num_class`);
  const numTarget = intParam(lmp.num_target ?? "1", 1, 1 << 16, file, `${P}.num_target`);
  const nOutputs = Math.max(numClass, numTarget, 1);
  const featureNames = learner.feature_names && learner.feature_names.length > 0 ? learner.feature_names : undefined;
  const rawTypes = learner.feature_types && learner.feature_types.length > 0 ? learner.feature_types : undefined;
  const featureTypes = rawTypes?.map((t) => (t === "c" ? ("categorical" as const) : ("numeric" as const)));

  const baseScores = parseBaseScore(lmp.base_score, nOutputs, file);
  const legacySigmoid = !versionAtLeast(version, 1, 6);
  const transform = info.transform === "xgb.sigmoid" && legacySigmoid ? "xgb.sigmoid.legacy" : info.transform;
  const task = info.task === "regression" && nOutputs > 1 ? "multitarget" : info.task;
  if (task === "multiclass" && numClass < 2)
    throw new CompileError("E_SHAPE", `objective ${objective} needs num_class >= 2, got ${numClass}`, {
      file,
      path: "$.learner.learner_model_param.num_class",
    });
  const classes = task === "binary" ? [0, 1] : task === "multiclass" ? range(numClass) : undefined;
  const boosterName = learner.gradient_booster.name;
  const header = {
    irVersion: 1 as const,
    name: opts.name ?? "model",
    task,
    nFeatures,
    featureNames,
    featureTypes,
    classes,
    source: { library: "xgboost", version: version.join("."), format: "xgboost-json", objective, booster: boosterName },
    inputCast: "float32" as const,
    nOutputs,
    transform: objective === "reg:quantileerror" && nOutputs > 1 && versionAtLeast(version, 3, 4) ? ("xgb.sort" as const) : transform,
    decision: info.decision,
    proba: info.proba,
    notes: [] as string[],
  };
  // binary:logitraw has no ProbToMargin since the 3.4 objective rewrite (src/objective/logistic_obj.cc).
  const link = objective === "binary:logitraw" && versionAtLeast(version, 3, 4) ? "identity" : info.link;
  const base = baseScores.map((p) => baseMargin(link, p, version));

  if (boosterName === "gblinear") {
    const gbl = parseWith(S.gblinear, learner.gradient_booster, file, BOOSTER);
    const w = gbl.model.weights;
    const G = nOutputs;
    if (w.length !== (nFeatures + 1) * G)
      throw new CompileError("E_SHAPE", `expected ${(nFeatures + 1) * G} weights ((num_feature + 1) × groups), got ${w.length}`, {
        file,
        path: "$.learner.gradient_booster.model.weights",
      });
    const weights = new Float64Array(nFeatures * G);
    for (let i = 0; i < nFeatures * G; i++) weights[i] = Math.fround(w[i]!);
    // psum = bias + base_margin in float (src/gbm/gblinear.cc Pred); gblinear takes BaseScore(0)
    // for every group, even when 3.1+ stores one base score per class.
    const bias = range(G).map((g) => Math.fround(Math.fround(w[nFeatures * G + g]!) + base[0]!));
    return buildLinear(header, { weights, bias, accumulate: "float32", missing: "skip" }, file, "$.learner.gradient_booster.model");
  }

  let modelDoc: unknown;
  let modelPath: (string | number)[];
  let weightDrop: number[] | undefined;
  if (boosterName === "gbtree") {
    const g = parseWith(S.gbtree, learner.gradient_booster, file, BOOSTER);
    modelDoc = g.model;
    modelPath = [...BOOSTER, "model"];
  } else if (boosterName === "dart") {
    const d = parseWith(S.dart, learner.gradient_booster, file, BOOSTER);
    weightDrop = d.weight_drop;
    if (d.gbtree !== undefined) {
      // ≤ 3.2: {"name":"dart","gbtree":{"name":"gbtree","model":{…}},"weight_drop":[…]}
      const g = parseWith(S.gbtree, d.gbtree, file, [...BOOSTER, "gbtree"]);
      modelDoc = g.model;
      modelPath = [...BOOSTER, "gbtree", "model"];
    } else {
      modelDoc = d.model;
      modelPath = [...BOOSTER, "model"];
    }
  } else {
    throw new CompileError(
      "E_UNSUPPORTED",
      `booster ${JSON.stringify(boosterName)} is not supported`,
      {
        file,
        path: "$.learner.gradient_booster.name",
      },
      "supported: gbtree, dart, gblinear",
    );
  }
  const model = parseWith(S.gbtreeModel, modelDoc, file, modelPath);
  weightDrop = model.weight_drop ?? weightDrop;
  const trees = model.trees;
  const mpath = modelPath.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("");
  const where = (s: string) => `$${mpath}${s}`;
  // the declared count is what XGBoost's loader reads the trees by (GBTreeModel::LoadModel): another
  // number is a damaged or hand-edited file, not a model to read some other way
  const declaredTrees = intParam(model.gbtree_model_param.num_trees, 0, 2 ** 31 - 1, file, where(".gbtree_model_param.num_trees"));
  if (declaredTrees !== trees.length)
    throw new CompileError("E_SHAPE", `gbtree_model_param.num_trees is ${declaredTrees}, but the model has ${trees.length} trees`, {
      file,
      path: where(".gbtree_model_param.num_trees"),
    });
  if (model.tree_info.length !== trees.length)
    throw new CompileError("E_SHAPE", `expected ${trees.length} tree_info entries (one per tree), got ${model.tree_info.length}`, {
      file,
      path: where(".tree_info"),
    });
  if (weightDrop && weightDrop.length !== trees.length)
    throw new CompileError("E_SHAPE", `expected ${trees.length} weight_drop entries, got ${weightDrop.length}`, {
      file,
      path: where(".weight_drop"),
    });

  const [begin, end] = selectTrees(model, nOutputs, learner.attributes, opts, header.notes, file, where);
  const builder = new EnsembleBuilder(
    header,
    {
      thresholdType: "float32",
      leafType: "float32",
      compare: "<",
      zeroThreshold: 0,
      categorical: { memberGoes: "right", invalidGoes: "nonmember", categoryLimit: 1 << 24, truncateFirst: false },
      accumulate: "float32",
      base,
    },
    file,
  );
  for (let t = begin; t < end; t++) {
    const path = where(`.trees[${t}]`);
    const tree = parseWith(S.tree, trees[t], file, [...modelPath, "trees", t]);
    const group = model.tree_info[t]!;
    const w = weightDrop ? Math.fround(weightDrop[t]!) : 1;
    // gbtree.cc Dart::InplacePredict (< 3.0): each tree predicted alone from the base margin, then
    // (prediction - base_score(0)) * weight added.
    const inplaceBase = weightDrop && opts.predictPath === "inplace" && !versionAtLeast(version, 3, 0) ? base[0]! : undefined;
    addTree(builder, tree, group, w, inplaceBase, nOutputs, path, file);
  }
  return builder.build();
}

function addTree(
  builder: EnsembleBuilder,
  tree: XgbTree,
  group: number,
  weight: number,
  inplaceBase: number | undefined,
  nOutputs: number,
  path: string,
  file: string | undefined,
): void {
  const n = tree.left_children.length;
  const declared = intParam(tree.tree_param.num_nodes, 1, 2 ** 31 - 1, file, `${path}.tree_param.num_nodes`);
  if (declared !== n)
    throw new CompileError("E_SHAPE", `expected ${declared} nodes (tree_param.num_nodes), got ${n}`, {
      file,
      path: `${path}.left_children`,
    });
  // size_leaf_vector is "0" (1.x) or "1" for scalar leaves
  const K = intParam(tree.tree_param.size_leaf_vector ?? "1", 0, 1 << 16, file, `${path}.tree_param.size_leaf_vector`) || 1;
  if (K > 1 && K !== nOutputs)
    throw new CompileError("E_SHAPE", `expected leaf vectors of size ${nOutputs}, got ${K}`, {
      file,
      path: `${path}.tree_param.size_leaf_vector`,
    });
  if (n * K > 1 << 26)
    throw new CompileError("E_LIMIT", `tree needs ${n * K} leaf values (${n} nodes × ${K}); modelc's limit is ${1 << 26} per tree`, {
      file,
      path: `${path}.tree_param`,
    });
  const leafValues = new Float64Array(n * K);
  const f = Math.fround;
  const scale =
    inplaceBase !== undefined ? (v: number) => f(f(f(inplaceBase + f(v)) - inplaceBase) * weight) : (v: number) => (weight === 1 ? f(v) : f(f(v) * weight));
  if (K === 1) {
    for (let i = 0; i < n; i++) if (tree.left_children[i] === -1) leafValues[i] = scale(tree.split_conditions[i]!);
  } else if (tree.leaf_weights) {
    // 3.2+: a leaf's right_children entry is its index into leaf_weights
    const lw = tree.leaf_weights;
    for (let i = 0; i < n; i++) {
      if (tree.left_children[i] !== -1) continue;
      const idx = tree.right_children[i]!;
      if (!(idx >= 0 && (idx + 1) * K <= lw.length))
        throw new CompileError("E_SHAPE", `leaf index out of range (expected 0..${lw.length / K - 1}, got ${idx})`, {
          file,
          path: `${path}.right_children[${i}]`,
        });
      for (let k = 0; k < K; k++) leafValues[i * K + k] = scale(lw[idx * K + k]!);
    }
  } else {
    const bw = tree.base_weights;
    if (!bw || bw.length !== n * K)
      throw new CompileError("E_SHAPE", `expected ${n * K} base_weights (nodes × leaf size), got ${bw?.length ?? 0}`, {
        file,
        path: `${path}.base_weights`,
      });
    for (let i = 0; i < n; i++) if (tree.left_children[i] === -1) for (let k = 0; k < K; k++) leafValues[i * K + k] = scale(bw[i * K + k]!);
  }
  // Vector-leaf trees (3.2+) mark leaves by left == -1 only; the right entry is the leaf index.
  const right = K > 1 && tree.leaf_weights ? tree.right_children.map((r, i) => (tree.left_children[i] === -1 ? -1 : r)) : tree.right_children;

  const splitType = tree.split_type;
  let categorical: Uint8Array | undefined;
  let catLookup: ((node: number) => number[] | undefined) | undefined;
  if (splitType?.some((s) => s === 1)) {
    categorical = Uint8Array.from(splitType, (s) => (s === 1 ? 1 : 0));
    const nodes = tree.categories_nodes ?? [];
    const segs = tree.categories_segments ?? [];
    const sizes = tree.categories_sizes ?? [];
    const cats = tree.categories ?? [];
    if (segs.length !== nodes.length || sizes.length !== nodes.length)
      throw new CompileError("E_SHAPE", `expected ${nodes.length} categories_segments and categories_sizes, got ${segs.length} and ${sizes.length}`, {
        file,
        path: `${path}.categories_segments`,
      });
    const byNode = new Map<number, number[]>();
    for (let j = 0; j < nodes.length; j++) {
      const s = segs[j]!;
      const len = sizes[j]!;
      if (!(s >= 0 && len >= 0 && s + len <= cats.length))
        throw new CompileError("E_SHAPE", `category segment ${s}+${len} exceeds ${cats.length} categories`, {
          file,
          path: `${path}.categories_segments[${j}]`,
        });
      byNode.set(nodes[j]!, cats.slice(s, s + len));
    }
    catLookup = (node) => byNode.get(node);
  }
  const numDeleted = intParam(tree.tree_param.num_deleted ?? "0", 0, n, file, `${path}.tree_param.num_deleted`);
  builder.addTree(
    {
      left: tree.left_children,
      right,
      feature: tree.split_indices,
      threshold: tree.split_conditions.map((v, i) => (tree.left_children[i] === -1 ? 0 : Math.fround(v))),
      defaultLeft: tree.default_left,
      categorical,
      categoryValues: catLookup,
      leafValues,
      leafSize: K,
      output: K > 1 ? 0 : group,
      allowUnreachable: numDeleted,
    },
    path,
    FIELDS,
  );
}

/** Which trees to use: all (Booster.predict), an explicit iteration range, or up to best_iteration. */
function selectTrees(
  model: XgbGbtreeModel,
  nOutputs: number,
  attributes: Record<string, unknown> | undefined,
  opts: XgboostImportOptions,
  notes: string[],
  file: string | undefined,
  where: (s: string) => string,
): [number, number] {
  const nTrees = model.trees.length;
  let range = opts.iterationRange;
  if (opts.bestIteration) {
    const best = attributes?.["best_iteration"];
    if (best === undefined) notes.push("no best_iteration attribute: all trees used");
    else range = [0, intParam(String(best), 0, 2 ** 31 - 2, opts.file, "$.learner.attributes.best_iteration") + 1];
  }
  if (!range) return [0, nTrees];
  // iteration_indptr (2.0+), else num_parallel_tree × groups trees per round
  let indptr = model.iteration_indptr;
  if (!indptr) {
    const perRound = intParam(model.gbtree_model_param.num_parallel_tree ?? "1", 1, 1 << 20, file, where(".gbtree_model_param.num_parallel_tree")) * nOutputs;
    indptr = range_(Math.floor(nTrees / perRound) + 1).map((i) => i * perRound);
  }
  const nIter = indptr.length - 1;
  const [b, e] = range;
  if (!(Number.isInteger(b) && Number.isInteger(e) && 0 <= b && b < e && e <= nIter))
    throw new CompileError("E_USAGE", `iteration range [${b}, ${e}) is outside the model's ${nIter} iterations`, {
      file,
      path: where(".iteration_indptr"),
    });
  notes.push(`trees of iterations [${b}, ${e}) only`);
  return [indptr[b]!, indptr[e]!];
}

const range_ = (n: number) => Array.from({ length: n }, (_, i) => i);
const range = range_;

/** base_score: "5E-1" (≤ 3.0) or "[5E-1]" / "[a,b,c]" (3.1+), broadcast to every output. */
function parseBaseScore(s: string, nOutputs: number, file?: string): number[] {
  const path = "$.learner.learner_model_param.base_score";
  const t = s.trim();
  const parts = t.startsWith("[") && t.endsWith("]") ? t.slice(1, -1).split(",") : [t];
  const values = parts.map((p) => Number(p.trim()));
  if (parts.some((p) => p.trim() === "") || values.some((v) => Number.isNaN(v)))
    throw new CompileError("E_SCHEMA", `base_score ${JSON.stringify(s)} is not a number or list of numbers`, { file, path });
  if (values.length === 1) return Array(nOutputs).fill(values[0]);
  if (values.length !== nOutputs) throw new CompileError("E_SHAPE", `expected 1 or ${nOutputs} base scores, got ${values.length}`, { file, path });
  return values;
}

/** An integer parameter written as a string ("10"), checked against its range. */
function intParam(s: string, min: number, max: number, file: string | undefined, path: string): number {
  const v = Number(s);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new CompileError("E_SHAPE", `expected an integer in ${min}..${max}, got ${JSON.stringify(s)}`, { file, path });
  return v;
}
