// scikit-learn's Tree (sklearn/tree/_tree.pyx, dumped by modelc_export as {"tree": {...}}) to builder
// input: node arrays as they are, leaves where left_child == -1, NaN by missing_go_to_left (>= 1.3).

import type { EnsembleOptions, TreeInput } from "../../ir/builder.ts";
import { describe } from "../zodHelpers.ts";
import { numericValues, readArray, type Est } from "./doc.ts";

/** Node arrays as Float64Array (binary arrays decode straight into them; lists are copied once). */
export interface SkTree {
  nodeCount: number;
  nOutputs: number;
  left: Float64Array;
  right: Float64Array;
  feature: Float64Array;
  threshold: Float64Array;
  nodeSamples?: Float64Array;
  missingLeft?: Float64Array;
  /** value[node][output][class], flattened: (nodeCount, nOutputs, width) */
  value: Float64Array;
  width: number;
  /** JSON path segments of the tree, for errors */
  at: (string | number)[];
}

/** The `tree_` of a fitted decision tree or extra tree. */
export function readTree(est: Est): SkTree {
  const raw = est.attr("tree_");
  const at: (string | number)[] = ["attrs", "tree_", "tree"];
  if (typeof raw !== "object" || raw === null || !("tree" in raw)) est.fail(`expected a tree, got ${describe(raw)}`, ["attrs", "tree_"]);
  const t = (raw as { tree: Record<string, unknown> }).tree;
  const arr = (name: string, required = true): Float64Array | undefined => {
    if (t[name] === undefined) {
      if (required) est.fail(`missing field ${JSON.stringify(name)}`, at);
      return undefined;
    }
    return float64(numericValues(readArray(t[name], est, [...at, name], 1), est, [...at, name]));
  };
  const nodeCount = t["node_count"];
  if (typeof nodeCount !== "number") est.fail(`expected node_count, got ${describe(nodeCount)}`, [...at, "node_count"]);
  const nOutputs = t["n_outputs"];
  if (typeof nOutputs !== "number") est.fail(`expected n_outputs, got ${describe(nOutputs)}`, [...at, "n_outputs"]);
  const valueArr = readArray(t["value"], est, [...at, "value"], 3);
  const [vn, vo, width] = valueArr.shape as [number, number, number];
  if (vn !== nodeCount || vo !== nOutputs)
    est.fail(`expected value of shape [${nodeCount}, ${nOutputs}, k], got ${JSON.stringify(valueArr.shape)}`, [...at, "value"], "E_SHAPE");
  const tree: SkTree = {
    nodeCount: nodeCount as number,
    nOutputs: nOutputs as number,
    left: arr("left_child")!,
    right: arr("right_child")!,
    feature: arr("feature")!,
    threshold: arr("threshold")!,
    missingLeft: arr("missing_go_to_left", false),
    value: float64(numericValues(valueArr, est, [...at, "value"])),
    width,
    at: [...est.path, ...at],
  };
  // decoded when read (only IsolationForest uses it)
  let samples: Float64Array | undefined | null = null;
  Object.defineProperty(tree, "nodeSamples", {
    enumerable: true,
    get: () => (samples === null ? (samples = arr("n_node_samples", false)) : samples),
    set: (v: Float64Array | undefined) => (samples = v),
  });
  if (tree.left.length !== tree.nodeCount) est.fail(`expected ${tree.nodeCount} nodes, got ${tree.left.length}`, [...at, "left_child"], "E_SHAPE");
  return tree;
}

function float64(a: ArrayLike<number>): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

/**
 * Builder input for a tree with leaf values computed per node by `leaf(node)` (an array of
 * leafSize values). Leaves have left == right == -1 in sklearn's arrays.
 */
export function treeInput(t: SkTree, leafSize: number, output: number, leaf: (node: number) => ArrayLike<number>): TreeInput {
  const n = t.nodeCount;
  const values = new Float64Array(n * leafSize);
  for (let i = 0; i < n; i++) {
    if (t.left[i] !== -1) continue;
    const v = leaf(i);
    for (let k = 0; k < leafSize; k++) values[i * leafSize + k] = v[k]!;
  }
  return treeInputValues(t, leafSize, output, values);
}

/** Builder input whose leaf values are `values[node·leafSize …)` as they are (e.g. tree.value itself). */
export function treeInputValues(t: SkTree, leafSize: number, output: number, values: ArrayLike<number>): TreeInput {
  const n = t.nodeCount;
  return {
    left: t.left,
    right: t.right,
    feature: t.feature,
    threshold: t.threshold,
    defaultLeft: t.missingLeft ?? new Uint8Array(n),
    leafValues: values,
    leafSize,
    output,
  };
}

/** tree.value[node, output, 0..width) */
export function nodeValues(t: SkTree, node: number, output: number, count = t.width): number[] {
  const o = (node * t.nOutputs + output) * t.width;
  return Array.from(t.value.subarray(o, o + count));
}

/** Depth of every node (root 0), without recursion. */
export function nodeDepths(t: SkTree): Int32Array {
  const depth = new Int32Array(t.nodeCount);
  const stack = [0];
  while (stack.length) {
    const n = stack.pop()!;
    if (t.left[n] === -1) continue;
    depth[t.left[n]!] = depth[n]! + 1;
    depth[t.right[n]!] = depth[n]! + 1;
    stack.push(t.left[n]!, t.right[n]!);
  }
  return depth;
}

/**
 * The ensemble settings every scikit-learn tree model shares: float64 thresholds and leaves compared
 * with `<=` (inputs are cast to float32 first, by the model header), float64 sums, and no categorical
 * splits (the rule is required by the IR but never reached). `rest` gives the base scores and anything
 * model-specific (divisor, aggregate).
 */
export function sklearnTreeOptions(rest: Pick<EnsembleOptions, "base"> & Partial<EnsembleOptions>): EnsembleOptions {
  return {
    thresholdType: "float64",
    leafType: "float64",
    compare: "<=",
    zeroThreshold: 0,
    categorical: { memberGoes: "left", invalidGoes: "default", categoryLimit: 256, truncateFirst: true },
    accumulate: "float64",
    ...rest,
  };
}
