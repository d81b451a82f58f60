// scikit-learn, as written by modelc_export (python/modelc_export/FORMAT.md), to the IR.
// Semantics: docs/semantics.md section 1; each mapping links the scikit-learn source it follows.

import { CompileError } from "../../errors.ts";
import { EnsembleBuilder } from "../../ir/builder.ts";
import type { ModelIR } from "../../ir/types.ts";
import type { OutputMeaning } from "../outputMeaning.ts";
import { parseWith } from "../zodHelpers.ts";
import { atLeast, Est, modelBudget, parseVersion, readArray, sklearnSchemas, SKLEARN_FORMAT_VERSION, type DocContext } from "./doc.ts";
import { importGradientBoosting } from "./gradientBoosting.ts";
import { importHistGradientBoosting, stringCategoryPreprocessor } from "./histGradientBoosting.ts";
import { importAdaBoost } from "./adaBoost.ts";
import { importIsolationForest } from "./isolationForest.ts";
import { importSvm, SVM_CLASSES } from "./svm.ts";
import { importNeighbors, NEIGHBORS_CLASSES } from "./neighbors.ts";
import { importLinear, LINEAR_CLASSES } from "./linear.ts";
import { importMlp, MLP_CLASSES } from "./mlp.ts";
import { applyTransformer, pipelineSteps, ProgramBuilder, TRANSFORMER_CLASSES } from "./pipeline.ts";
import { checkPreprocess } from "../../ir/preprocess.ts";
import { nodeValues, readTree, treeInput, treeInputValues, sklearnTreeOptions } from "./trees.ts";
import { skPairwiseSum } from "../../runtime/skSoftmax.ts";
import type { SkHeader } from "./skHeader.ts";
import { BOOSTER_WRAPPER_CLASSES, importBoosterWrapper } from "./boosterWrapper.ts";
import { importMeta, META_CLASSES } from "./meta.ts";

export interface SklearnImportOptions {
  file?: string;
  name?: string;
  lenient?: boolean;
  /** bytes the file and its decoded binary arrays may take together (default: defaultMaxModelBytes(sourceBytes)) */
  maxModelBytes?: number;
  /** the file's size in bytes */
  sourceBytes?: number;
  /** most training values (samples × features) a neighbors model may store */
  maxNeighborsTable?: number;
}

const TREE_CLASSES = ["DecisionTreeClassifier", "DecisionTreeRegressor", "ExtraTreeClassifier", "ExtraTreeRegressor"];
const FOREST_CLASSES = ["RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier", "ExtraTreesRegressor"];
const GB_CLASSES = ["GradientBoostingClassifier", "GradientBoostingRegressor"];
const HGB_CLASSES = ["HistGradientBoostingClassifier", "HistGradientBoostingRegressor"];

export const SKLEARN_SUPPORTED = [
  ...TREE_CLASSES,
  ...FOREST_CLASSES,
  ...GB_CLASSES,
  ...HGB_CLASSES,
  "IsolationForest",
  "AdaBoostClassifier",
  "AdaBoostRegressor",
  ...LINEAR_CLASSES,
  ...SVM_CLASSES,
  ...MLP_CLASSES,
  ...NEIGHBORS_CLASSES,
  ...BOOSTER_WRAPPER_CLASSES,
  ...META_CLASSES,
];
const MODEL_CLASSES = [...SKLEARN_SUPPORTED];

export function isSklearnDocument(doc: unknown): boolean {
  return typeof doc === "object" && doc !== null && (doc as Record<string, unknown>)["format"] === "modelc-sklearn";
}

export function importSklearn(doc: unknown, opts: SklearnImportOptions = {}): ModelIR {
  const S = sklearnSchemas(!opts.lenient);
  const env = parseWith(S.envelope, doc, opts.file);
  if (env.format_version > SKLEARN_FORMAT_VERSION || env.format_version < 1)
    throw new CompileError(
      "E_UNSUPPORTED",
      `modelc_export format version ${env.format_version} is not supported (this modelc reads 1..${SKLEARN_FORMAT_VERSION})`,
      { file: opts.file, path: "$.format_version" },
      "upgrade modelc, or export with a matching modelc_export",
    );
  const ctx: DocContext = {
    file: opts.file,
    strict: !opts.lenient,
    sklearn: parseVersion(env.versions.sklearn),
    scipy: parseVersion(env.versions.scipy),
    budget: modelBudget(opts.maxModelBytes, opts.sourceBytes ?? 0),
    maxNeighborsTable: opts.maxNeighborsTable,
  };
  const est = new Est(env.estimator, ctx, ["estimator"]);
  const header = {
    irVersion: 1 as const,
    name: opts.name ?? "model",
    featureNames: est.featureNames(),
    source: { library: "scikit-learn", version: env.versions.sklearn, format: "modelc-sklearn", objective: est.cls },
  };
  return importEstimator(est, header);
}

/** A Pipeline or a model (also each member of a meta-estimator). */
function importEstimator(est: Est, header: SkHeader): ModelIR {
  if (est.cls === "Pipeline") return importPipeline(est, header);
  // a HistGradientBoosting model on pandas categories of strings: its own preprocessor runs as a pipeline step
  if (HGB_CLASSES.includes(est.cls) && stringCategoryPreprocessor(est)) return importSteps(est, [], est, header);
  return importModel(est, header);
}

function importModel(est: Est, header: SkHeader): ModelIR {
  if (TREE_CLASSES.includes(est.cls) || FOREST_CLASSES.includes(est.cls)) return importForest(est, header);
  if (GB_CLASSES.includes(est.cls)) return importGradientBoosting(est, header);
  if (HGB_CLASSES.includes(est.cls)) return importHistGradientBoosting(est, header);
  if (LINEAR_CLASSES.includes(est.cls)) return importLinear(est, header);
  if (est.cls === "IsolationForest") return importIsolationForest(est, header);
  if (est.cls === "AdaBoostClassifier" || est.cls === "AdaBoostRegressor") return importAdaBoost(est, header);
  if (SVM_CLASSES.includes(est.cls)) return importSvm(est, header);
  if (MLP_CLASSES.includes(est.cls)) return importMlp(est, header);
  if (NEIGHBORS_CLASSES.includes(est.cls)) return importNeighbors(est, header);
  if (BOOSTER_WRAPPER_CLASSES.includes(est.cls)) return importBoosterWrapper(est, header);
  if (META_CLASSES.includes(est.cls)) return liftColumns(importMeta(est, header, importEstimator), est);
  return est.unsupported("this estimator is not supported yet", ["class"], `supported: ${SKLEARN_SUPPORTED.join(", ")}, Pipeline`);
}

/**
 * A meta-estimator whose members were fitted on a table (pipelines with string columns, ModelIR.columns) takes the
 * table's rows itself: the members read the numbers its row encoding gives. Every member reading the whole row must
 * then have the same columns (the same strings, the same codes); a member of a column subset cannot have any.
 */
function liftColumns(ir: ModelIR, est: Est): ModelIR {
  if (ir.model.kind !== "composite" || ir.columns) return ir;
  const all = ir.model.members;
  let columns: ModelIR["columns"];
  for (const m of all) {
    if (!m.ir.columns) continue;
    if (m.features) est.unsupported("a member of a column subset reads a table's columns by name", ["attrs"]);
    if (columns && JSON.stringify(columns) !== JSON.stringify(m.ir.columns))
      est.unsupported("its members read the table's string columns with different categories; fit them in one Pipeline after a shared ColumnTransformer", [
        "attrs",
      ]);
    columns = m.ir.columns;
  }
  return columns ? { ...ir, columns, featureNames: ir.featureNames ?? columns.map((c) => c.name) } : ir;
}

/**
 * A Pipeline: the transformers become the IR's float64 preprocessing program, the final estimator
 * the model (sklearn/pipeline.py predict: each step's transform, then the final step's predict).
 */
function importPipeline(pl: Est, header: SkHeader): ModelIR {
  const steps = pipelineSteps(pl);
  const last = steps[steps.length - 1];
  if (last === undefined || last === "passthrough") return pl.fail("the pipeline has no final estimator", ["attrs", "steps"]);
  if (!MODEL_CLASSES.includes(last.cls)) last.unsupported("is not a supported final pipeline step", ["class"], `supported: ${SKLEARN_SUPPORTED.join(", ")}`);
  return importSteps(pl, steps.slice(0, -1), last, header);
}

/** Transformer steps (the IR's preprocessing program) before a final estimator. */
function importSteps(pl: Est, transformers: (Est | "passthrough")[], last: Est, header: SkHeader): ModelIR {
  const native = HGB_CLASSES.includes(last.cls) ? stringCategoryPreprocessor(last) : undefined;
  const steps: (Est | "passthrough")[] = native ? [...transformers, native, last] : [...transformers, last];
  const nIn = pl.nFeatures();
  // a member of a meta-estimator gets no header names: its own feature_names_in_ name the table's columns
  const prog = new ProgramBuilder(nIn, header.featureNames ?? pl.featureNames());
  let cols = Array.from({ length: nIn }, (_, i) => i);
  for (const s of steps.slice(0, -1)) {
    if (s === "passthrough") continue;
    if (!TRANSFORMER_CLASSES.includes(s.cls)) s.unsupported("is not a supported pipeline step", ["class"], `supported: ${TRANSFORMER_CLASSES.join(", ")}`);
    // HistGradientBoosting's own preprocessor: its numerical FunctionTransformer is check_array (a float64 cast)
    prog.hgbPreprocessor = s === native;
    cols = applyTransformer(s, cols, prog);
  }
  prog.hgbPreprocessor = false;
  const ir = native
    ? importHistGradientBoosting(last, { ...header, featureNames: undefined }, true)
    : importModel(last, { ...header, featureNames: undefined });
  if (ir.nFeatures !== cols.length)
    last.fail(`the preprocessing gives ${cols.length} features, the final estimator expects ${ir.nFeatures}`, ["attrs", "n_features_in_"], "E_SHAPE");
  const pre = prog.finish(cols, last);
  const columns = prog.columns(pre);
  const msg = checkPreprocess(pre, nIn);
  if (msg) pl.fail(`preprocessing: ${msg}`, ["attrs", "steps"], "E_SHAPE");
  const notes = [...(ir.notes ?? []), ...prog.inexact];
  let parity = ir.parity;
  if (prog.inexact.length)
    parity = {
      ulps: Math.max(4, parity && parity !== "exact" ? parity.ulps : 0),
      ...(parity && parity !== "exact" && parity.dotProduct ? { dotProduct: true } : {}),
    };
  const chain = [...steps.slice(0, -1).map((s) => (s === "passthrough" ? "passthrough" : s.cls)), last.cls].join(" → ");
  return {
    ...ir,
    nFeatures: nIn,
    featureNames: header.featureNames,
    ...(columns ? { columns } : {}),
    preprocess: pre,
    parity,
    notes,
    source: { ...ir.source, objective: `Pipeline(${chain})` },
  };
}

/** Per-output class labels of a multi-output classifier (numbers only). */
function multiOutputClasses(est: Est, n: number): number[][] {
  const v = est.attr("classes_");
  if (!Array.isArray(v) || v.length !== n)
    est.fail(`expected ${n} class label arrays, got ${Array.isArray(v) ? v.length : typeof v}`, ["attrs", "classes_"], "E_SHAPE");
  return (v as unknown[]).map((c, k) => {
    const a = readArray(c, est, ["attrs", "classes_", k], 1);
    return a.data.map((x, i) => {
      if (typeof x !== "number")
        est.unsupported(`multi-output classification with non-numeric labels is not supported (got ${JSON.stringify(x)})`, [
          "attrs",
          "classes_",
          k,
          "ndarray",
          "data",
          i,
        ]);
      return x as number;
    });
  });
}

/**
 * Single trees and averaging forests (sklearn/tree/_classes.py predict/predict_proba,
 * sklearn/ensemble/_forest.py): leaves are class fractions (classifiers) or values (regressors),
 * summed from 0 in estimators_ order in float64 and divided once by the number of trees.
 */
function importForest(est: Est, header: SkHeader): ModelIR {
  const isForest = FOREST_CLASSES.includes(est.cls);
  const trees = isForest ? est.estimators("estimators_") : [est];
  if (trees.length === 0) est.fail("expected at least one estimator, got 0", ["attrs", "estimators_"], "E_SHAPE");
  const classifier = est.cls.includes("Classifier");
  const nFeatures = est.nFeatures();
  const nOutputsY = est.has("n_outputs_") ? est.number("n_outputs_") : 1;
  const v14 = atLeast(est.ctx.sklearn, 1, 4);
  let nOutputs: number;
  let classes: (number | string)[] | undefined;
  let outputClasses: number[][] | undefined;
  let meaning: OutputMeaning;
  if (classifier && nOutputsY > 1) {
    // multi-output: classes_ is a list of label arrays; probabilities of all outputs side by side
    outputClasses = multiOutputClasses(est, nOutputsY);
    const groups = outputClasses.map((c) => c.length);
    nOutputs = groups.reduce((a, b) => a + b, 0);
    meaning = { task: "multioutput", transform: "identity", decision: { kind: "argmaxGroups", on: "output", groups }, proba: { kind: "vector" } };
  } else if (classifier) {
    classes = est.classes();
    nOutputs = classes.length;
    meaning = {
      task: nOutputs === 2 ? "binary" : "multiclass",
      transform: "identity",
      decision: { kind: "argmax", on: "output" },
      proba: { kind: "vector" },
    };
  } else {
    nOutputs = nOutputsY;
    meaning = { task: nOutputs > 1 ? "multitarget" : "regression", transform: "identity", decision: { kind: "value" }, proba: { kind: "none" } };
  }
  const b = new EnsembleBuilder(
    { ...header, ...meaning, nFeatures, nOutputs, classes, outputClasses, inputCast: "float32" },
    sklearnTreeOptions({
      base: new Array(nOutputs).fill(0),
      divisor: isForest ? trees.length : undefined,
    }),
    est.ctx.file,
  );
  trees.forEach((t) => {
    const tree = readTree(t);
    const path = tree.at.join(".");
    if (classifier) {
      const sizes = outputClasses ? outputClasses.map((c) => c.length) : [nOutputs];
      if (tree.nOutputs !== sizes.length) t.fail(`expected ${sizes.length} outputs per node, got ${tree.nOutputs}`, ["attrs", "tree_"], "E_SHAPE");
      const widest = Math.max(...sizes);
      if (tree.width < widest) t.fail(`expected ${widest} class values per node, got ${tree.width}`, ["attrs", "tree_"], "E_SHAPE");
      // >= 1.4, one output, value exactly one row of class fractions per node: the leaf values as they are
      if (v14 && sizes.length === 1 && tree.width === nOutputs) return b.addTree(treeInputValues(tree, nOutputs, 0, tree.value), path);
      b.addTree(
        treeInput(tree, nOutputs, 0, (n) =>
          v14 && sizes.length === 1
            ? nodeValues(tree, n, 0, nOutputs)
            : sizes.flatMap((size, k) => {
                const v = nodeValues(tree, n, k, size);
                if (v14) return v;
                // < 1.4: weighted counts, normalized by predict_proba (a zero row divides by 1)
                let s = 0 + skPairwiseSum(v, 0, v.length);
                if (s === 0) s = 1;
                return v.map((x) => x / s);
              }),
        ),
        path,
      );
    } else {
      b.addTree(
        treeInput(tree, nOutputs, 0, (n) => Array.from({ length: nOutputs }, (_, k) => nodeValues(tree, n, k, 1)[0]!)),
        path,
      );
    }
  });
  return b.build();
}
