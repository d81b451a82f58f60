// Synthetic XGBoost 3.x models for the bundle benchmark (not committed): N regression models of
// T trees grown at random to depth D over F features, shaped like trained ones (about 375 nodes
// per depth-10 tree, float32 values printed the shortest way, as XGBoost writes them). The JSON
// skeleton is a real model's (fixtures/xgb3-reg-squarederror), so the importer sees its usual format.
//
//   node bench/bundle-models.mjs --out .cache/bench-bundle/models [--models 12 --trees 1000 --depth 10 --features 50]

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Shortest decimal that reads back as this float32 (what XGBoost prints). */
function f32(v) {
  const x = Math.fround(v);
  for (let p = 6; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return Number(s);
  }
  return Number(x.toPrecision(9));
}

function tree(id, r, depth, features) {
  const left = [],
    right = [],
    parents = [],
    cond = [],
    index = [],
    dflt = [],
    weights = [];
  // breadth-first, as XGBoost numbers its nodes; split probability tuned for ~375 nodes at depth 10
  const queue = [{ parent: 2147483647, d: 0 }];
  for (let n = 0; n < queue.length; n++) {
    const { parent, d } = queue[n];
    parents.push(parent);
    const split = d === 0 || (d < depth && r() < 0.805);
    const w = f32((r() - 0.5) * 0.2);
    weights.push(w);
    if (split) {
      left.push(queue.length);
      queue.push({ parent: n, d: d + 1 });
      right.push(queue.length);
      queue.push({ parent: n, d: d + 1 });
      const z = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
      cond.push(f32(z));
      index.push(Math.floor(r() * features));
      dflt.push(r() < 0.5 ? 1 : 0);
    } else {
      left.push(-1);
      right.push(-1);
      cond.push(w);
      index.push(0);
      dflt.push(0);
    }
  }
  const nNodes = queue.length;
  return {
    base_weights: weights,
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: dflt,
    id,
    left_children: left,
    loss_changes: left.map((c) => (c === -1 ? 0 : f32(r() * 1000))),
    parents,
    right_children: right,
    split_conditions: cond,
    split_indices: index,
    split_type: new Array(nNodes).fill(0),
    sum_hessian: left.map(() => f32(1 + r() * 1000)),
    tree_param: { num_deleted: "0", num_feature: String(features), num_nodes: String(nNodes), size_leaf_vector: "1" },
  };
}

/** Writes model-00.json … to `dir`; returns the file paths. */
export function writeModels(dir, { models = 12, trees = 1000, depth = 10, features = 50, seed = 1 } = {}) {
  mkdirSync(dir, { recursive: true });
  const skeleton = JSON.parse(readFileSync(join(ROOT, "fixtures", "xgb3-reg-squarederror", "model.json"), "utf8"));
  const files = [];
  for (let k = 0; k < models; k++) {
    const r = rng(seed * 7919 + k * 104729);
    const m = structuredClone(skeleton);
    const gb = m.learner.gradient_booster.model;
    gb.trees = Array.from({ length: trees }, (_, i) => tree(i, r, depth, features));
    gb.tree_info = new Array(trees).fill(0);
    gb.iteration_indptr = Array.from({ length: trees + 1 }, (_, i) => i);
    gb.gbtree_model_param.num_trees = String(trees);
    m.learner.learner_model_param.num_feature = String(features);
    m.learner.learner_model_param.base_score = `[${f32(r()).toExponential().toUpperCase()}]`;
    const file = join(dir, `model-${String(k).padStart(2, "0")}.json`);
    writeFileSync(file, JSON.stringify(m));
    files.push(file);
  }
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const num = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
  const out = args.includes("--out") ? args[args.indexOf("--out") + 1] : ".cache/bench-bundle/models";
  const files = writeModels(out, { models: num("--models", 12), trees: num("--trees", 1000), depth: num("--depth", 10), features: num("--features", 50) });
  process.stderr.write(`wrote ${files.length} models to ${out}\n`);
}
