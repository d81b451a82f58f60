// Benchmark of the readers on synthetic XGBoost-like models.
// Run: node --expose-gc --import tsx test/io/bench/ioBench.ts [sizeMB=200]
import { parseTolerantJson } from "../../../src/io/readJson.ts";
import { parseUbjson } from "../../../src/io/readUbjson.ts";
import { parseRowsCsv } from "../../../src/io/readRows.ts";
import { encodeUbjson, Typed, type EncValue } from "../ubjsonEncode.ts";

const targetMB = Number(process.argv[2] ?? 200);

// deterministic PRNG
let seed = 12345;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
}

function makeTree(id: number, nNodes: number) {
  const f32 = () => Math.fround((rnd() - 0.5) * 20);
  const ints = (f: (i: number) => number) => Array.from({ length: nNodes }, (_, i) => f(i));
  return {
    base_weights: ints(f32),
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: ints(() => (rnd() < 0.5 ? 1 : 0)),
    id,
    left_children: ints((i) => (2 * i + 1 < nNodes ? 2 * i + 1 : -1)),
    loss_changes: ints(f32),
    parents: ints((i) => (i === 0 ? 2147483647 : (i - 1) >> 1)),
    right_children: ints((i) => (2 * i + 2 < nNodes ? 2 * i + 2 : -1)),
    split_conditions: ints(f32),
    split_indices: ints(() => Math.floor(rnd() * 100)),
    split_type: ints(() => 0),
    sum_hessian: ints(f32),
    tree_param: { num_deleted: "0", num_feature: "100", num_nodes: String(nNodes), size_leaf_vector: "1" },
  };
}

function model(nTrees: number) {
  const trees = Array.from({ length: nTrees }, (_, i) => makeTree(i, 255));
  return {
    learner: {
      attributes: {},
      feature_names: [],
      feature_types: [],
      gradient_booster: {
        model: { gbtree_model_param: { num_parallel_tree: "1", num_trees: String(nTrees) }, iteration_indptr: [], tree_info: trees.map(() => 0), trees },
        name: "gbtree",
      },
      learner_model_param: { base_score: "5E-1", boost_from_average: "1", num_class: "0", num_feature: "100", num_target: "1" },
      objective: { name: "reg:squarederror", reg_loss_param: { scale_pos_weight: "1" } },
    },
    version: [2, 1, 0],
  };
}

function time<T>(label: string, f: () => T, reps = 3): T {
  let best = Infinity;
  let r!: T;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < reps; i++) {
    gc?.();
    const t0 = performance.now();
    r = f();
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${label.padEnd(48)} ${best.toFixed(0).padStart(6)} ms (best of ${reps})`);
  return r;
}

const bytesPerTree = JSON.stringify(makeTree(0, 255)).length;
const nTrees = Math.ceil((targetMB * 1e6) / bytesPerTree);
const m = model(nTrees);
const text = JSON.stringify(m);
console.log(`JSON: ${(text.length / 1e6).toFixed(0)} MB, ${nTrees} trees`);

time("JSON.parse (valid JSON)", () => JSON.parse(text));
time("parseTolerantJson (valid JSON)", () => parseTolerantJson(text));
time("parseTolerantJson (valid JSON, maxDepth: Infinity)", () => parseTolerantJson(text, undefined, { maxDepth: Infinity }));

// a few NaN / Infinity tokens in number arrays
const withTokens = text
  .replace('"split_conditions":[', '"split_conditions":[NaN,')
  .replace('"loss_changes":[', '"loss_changes":[Infinity,')
  .replace('"sum_hessian":[', '"sum_hessian":[-Infinity,');
const lastTree = withTokens.lastIndexOf('"base_weights":[');
const withTokens2 = withTokens.slice(0, lastTree) + '"base_weights":[NaN,' + withTokens.slice(lastTree + 16);
time("JSON.parse of the same text with tokens -> null", () => JSON.parse(withTokens2.replace(/NaN|-?Infinity/g, "null")), 1);
const v = time("parseTolerantJson (4 NaN/Infinity tokens)", () => parseTolerantJson(withTokens2));
const trees = (v as any).learner.gradient_booster.model.trees;
if (!Number.isNaN(trees[0].split_conditions[0]) || !Number.isNaN(trees[trees.length - 1].base_weights[0])) throw new Error("bad NaN");

// a single NaN in the last tree: the native parse fails only at the very end
const lastSplit = text.lastIndexOf('"split_conditions":[');
const nanAtEnd = text.slice(0, lastSplit) + '"split_conditions":[NaN,' + text.slice(lastSplit + 20);
time("parseTolerantJson (1 NaN in the last tree)", () => parseTolerantJson(nanAtEnd));

// many tokens: every split condition of every 10th tree is NaN
let many = text;
{
  const parts = many.split('"split_conditions":[');
  for (let i = 1; i < parts.length; i += 10)
    parts[i] = parts[i]!.replace(/^[^\]]*/, (s) =>
      s
        .split(",")
        .map(() => "NaN")
        .join(","),
    );
  many = parts.join('"split_conditions":[');
}
console.log(`tokens in 'many' text: ${(many.match(/NaN/g) ?? []).length}`);
time("parseTolerantJson (many NaN tokens)", () => parseTolerantJson(many));

// UBJSON with typed arrays, as XGBoost writes it
function typedTree(t: ReturnType<typeof makeTree>): EncValue {
  return {
    ...t,
    base_weights: new Typed("d", t.base_weights),
    default_left: new Typed("U", t.default_left),
    left_children: new Typed("l", t.left_children),
    loss_changes: new Typed("d", t.loss_changes),
    parents: new Typed("l", t.parents),
    right_children: new Typed("l", t.right_children),
    split_conditions: new Typed("d", t.split_conditions),
    split_indices: new Typed("l", t.split_indices),
    split_type: new Typed("U", t.split_type),
    sum_hessian: new Typed("d", t.sum_hessian),
  };
}
const um = model(Math.ceil(nTrees * 1.6));
(um.learner.gradient_booster.model as any).trees = um.learner.gradient_booster.model.trees.map(typedTree);
const ubj = encodeUbjson(um as unknown as EncValue);
console.log(`UBJSON: ${(ubj.length / 1e6).toFixed(0)} MB, ${Math.ceil(nTrees * 1.6)} trees`);
time("parseUbjson", () => parseUbjson(ubj));

// CSV 100k rows x 30 columns
const nCols = 30;
const lines = [Array.from({ length: nCols }, (_, j) => `f${j}`).join(",")];
for (let r = 0; r < 100_000; r++) {
  const row: string[] = [];
  for (let j = 0; j < nCols; j++) {
    const x = rnd();
    row.push(x < 0.02 ? "" : x < 0.5 ? String((x - 0.25) * 1e3) : String(Math.floor(x * 100)));
  }
  lines.push(row.join(","));
}
const csv = lines.join("\n") + "\n";
console.log(`CSV: ${(csv.length / 1e6).toFixed(1)} MB, 100000 rows x ${nCols}`);
time("parseRowsCsv", () => parseRowsCsv(csv));
