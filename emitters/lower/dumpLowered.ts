// A readable text of the lowered form (what the TypeScript and AssemblyScript printers receive), for
// `modelc compile --dump-lowered`: tables summarized by length and first entries, flags decoded.

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { KernelModel, LinearModel, ModelIR, TreeEnsemble } from "../../src/ir/types.ts";
import { batchBlock } from "./batchBlock.ts";
import { categoryTables } from "./categoryTables.ts";
import { ifElsePlan } from "./ifElsePlan.ts";
import { DEFAULT_IFELSE_LIMITS, INLINE_MAX_NODES, type IfElseLimits } from "./limits.ts";
import { CATEGORICAL, DEFAULT_LEFT, FEATURE_MASK, LEAF, LINEAR_LEAF, ZERO_BAND, decodeNode } from "./nodeFlags.ts";
import { nodeTable, type NodeTable } from "./nodeTable.ts";
import { mlpTables } from "./mlpTables.ts";
import { kernelDecisionCount, ovoPairs } from "./ovoPairs.ts";
import { treeFunctions } from "./treeFunctions.ts";

/** Entries shown of each table (and of each long list). */
const HEAD = 8;

export interface DumpOptions {
  /** the ifelse limits the printers would get (default DEFAULT_IFELSE_LIMITS) */
  ifelseLimits?: IfElseLimits;
}

/** The lowered form of `ir` in `style` as indented JSON-like text (numbers exact; NaN, ±Infinity and -0 spelled out). */
export function dumpLowered(ir: ModelIR, style: "ifelse" | "table", opts: DumpOptions = {}): string {
  const m = ir.model;
  const width = modelWidth(ir);
  const head: Record<string, unknown> = {
    model: ir.name,
    kind: m.kind,
    style,
    nFeatures: ir.nFeatures,
    width,
    nOutputs: ir.nOutputs,
    inputCast: ir.inputCast,
  };
  if (ir.preprocess)
    head.preprocess = {
      slots: ir.preprocess.slots,
      steps: list(ir.preprocess.steps.map((s) => (s.kind === "map" ? `map ${s.op}` : s.kind === "normalize" ? `normalize ${s.norm}` : s.kind))),
    };
  let body: Record<string, unknown>;
  if (m.kind === "trees") {
    body = style === "table" ? tableDump(ir, m) : ifElseDump(m, opts.ifelseLimits ?? DEFAULT_IFELSE_LIMITS);
    // rows per tree-major block: the batches of both styles, TypeScript and WebAssembly
    head.batchBlock = m.aggregate ? "none (weighted median: row by row)" : batchBlock(width, ir.inputCast === "float32" ? 4 : 8);
  } else if (m.kind === "linear") body = linearDump(m);
  else if (m.kind === "kernel") body = kernelDump(m);
  else if (m.kind === "mlp") {
    const t = mlpTables(m);
    body = {
      mlp: {
        hidden: m.hidden,
        sizes: list(t.sizes),
        weights: list(t.weights),
        bias: list(t.bias),
        weightAt: list(t.weightAt),
        biasAt: list(t.biasAt),
        maxHidden: t.maxHidden,
      },
    };
  } else if (m.kind === "neighbors")
    body = {
      neighbors: {
        samples: m.nSamples,
        k: m.k,
        metric: m.metric,
        weights: m.weights,
        sort: m.sort,
        strategy: m.strategy,
        emptyDistance: m.emptyDistance,
        runtime: "src/runtime/knn.ts",
      },
    };
  else
    body = {
      composite: list(m.members.map((c) => `${c.use} ${c.ir.source.objective ?? c.ir.model.kind}${c.features ? ` on ${c.features.length} features` : ""}`)),
    };
  return show({ ...head, ...body }, "") + "\n";
}

function ensembleDump(ens: TreeEnsemble): Record<string, unknown> {
  const out: Record<string, unknown> = {
    trees: ens.trees.length,
    nodes: ens.trees.reduce((s, t) => s + t.nNodes, 0),
    compare: ens.compare,
    thresholdType: ens.thresholdType,
    leafType: ens.leafType,
    accumulate: ens.accumulate,
    base: list(ens.base),
  };
  if (ens.divisor !== undefined) out.divisor = ens.divisor;
  if (ens.aggregate) out.aggregate = { kind: ens.aggregate.kind, weights: list(ens.aggregate.weights) };
  if (ens.categories.length > 0) {
    const c = categoryTables(ens);
    out.categories = {
      sets: c.spans.length,
      words: list(c.words),
      spans: list(c.spans.map(([s, n]) => `${s}+${n}`)),
      rule: {
        memberLeft: c.memberLeft,
        invalidDefault: c.invalidDefault,
        categoryLimit: c.categoryLimit,
        truncateFirst: c.truncateFirst,
        nonIntegerInvalid: c.nonIntegerInvalid,
      },
    };
  }
  return out;
}

function tableDump(ir: ModelIR, ens: TreeEnsemble): Record<string, unknown> {
  const t = nodeTable(ens, ir.nOutputs, { poolVectorLeaves: true });
  const unpooled = t.hasVector ? nodeTable(ens, ir.nOutputs, { poolVectorLeaves: false }).leafVectors.length : 0;
  const nodes: string[] = [];
  for (let g = 0; g < Math.min(HEAD, t.nNodes); g++) nodes.push(nodeText(t, g, ens.compare));
  return {
    ...ensembleDump(ens),
    nodeTable: {
      flags: { FEATURE_MASK: hex(FEATURE_MASK), DEFAULT_LEFT: hex(DEFAULT_LEFT), CATEGORICAL: hex(CATEGORICAL), ZERO_BAND: hex(ZERO_BAND), LEAF, LINEAR_LEAF },
      has: { vector: t.hasVector, scalar: t.hasScalar, zeroBand: t.hasZeroBand, categorical: t.hasCategorical, linear: t.linear.constants.length > 0 },
      nodes: t.nNodes,
      fk: list(t.fk),
      value: list(t.value),
      right: list(t.right),
      treeStart: list(t.treeStart),
      treeOutput: list(t.treeOutput),
      firstNodes: nodes,
      leafVectors: { pooled: list(t.leafVectors), unpooledLength: unpooled },
      linearLeaves: { leaves: t.linear.constants.length, terms: t.linear.features.length, constants: list(t.linear.constants), starts: list(t.linear.starts) },
    },
  };
}

/** One node of the table with its flags decoded. */
function nodeText(t: NodeTable, g: number, op: string): string {
  const d = decodeNode(t.fk[g]!);
  if (d.kind === "leaf") {
    let tree = 0;
    while (tree + 1 < t.treeStart.length && t.treeStart[tree + 1]! <= g) tree++;
    return `${g}: leaf ${t.treeOutput[tree]! < 0 ? `vector @${t.right[g]}` : num(t.value[g]!)}`;
  }
  if (d.kind === "linearLeaf") return `${g}: linear leaf #${t.right[g]} (NaN: ${num(t.value[g]!)})`;
  const flags = [d.defaultLeft ? "defaultLeft" : "", d.zeroBand ? "zeroBand" : ""].filter((s) => s !== "").join(" ");
  const test = d.categorical ? `x[${d.feature}] in set ${t.value[g]}` : `x[${d.feature}] ${op} ${num(t.value[g]!)}`;
  return `${g}: ${test}${flags ? ` ${flags}` : ""} -> ${g + 1} | ${t.right[g]}`;
}

function ifElseDump(ens: TreeEnsemble, limits: IfElseLimits): Record<string, unknown> {
  const ts = ifElsePlan(ens, limits, { inlineMaxNodes: INLINE_MAX_NODES });
  const as = ifElsePlan(ens, limits);
  // every tree's cut, one tree at a time (the first few trees are shown in full): TypeScript calls the trees it does
  // not inline, AssemblyScript calls every tree
  let tsFunctions = 0;
  let asFunctions = 0;
  let calledTrees = 0;
  let maxConditions = 0;
  let maxDepth = 0;
  const shown: string[] = [];
  ens.trees.forEach((tree, t) => {
    const inline = ts.inline[t]!;
    const cut = treeFunctions(tree, limits);
    asFunctions += cut.length;
    if (inline < 0) {
      calledTrees++;
      tsFunctions += cut.length;
    }
    for (const fn of cut) {
      maxConditions = Math.max(maxConditions, fn.conditions);
      for (const s of fn.steps) maxDepth = Math.max(maxDepth, s.depth);
    }
    if (t < HEAD) {
      const fns = cut.map((fn) => {
        const calls = fn.steps.flatMap((s) => (s.kind === "call" ? [s.node] : []));
        return `fn@${fn.root}: ${fn.conditions} conditions, ${fn.steps.length} steps${calls.length ? `, calls ${calls.join(" ")}` : ""}`;
      });
      shown.push(`tree ${t} (${tree.nNodes} nodes): ${inline >= 0 ? `inline in TypeScript (${inline} conditions); ` : ""}${fns.join("; ")}`);
    }
  });
  const entry = ens.trees.length > 0 ? treeFunctions(ens.trees[0]!, limits)[0]!.steps : [];
  const firstSteps = entry.slice(0, HEAD).map((s) => (s.kind === "end" ? `end @${s.depth}` : `${s.kind} ${s.node} @${s.depth}`));
  const groupText = (g: { from: number; to: number; conditions: number }) => `trees ${g.from}..${g.to - 1} (${g.conditions} inline conditions)`;
  return {
    ...ensembleDump(ens),
    ifelse: {
      limits: { ...limits, inlineMaxNodes: INLINE_MAX_NODES },
      inlineTrees: ens.trees.length - calledTrees,
      calledTrees,
      functions: { typescript: tsFunctions, assemblyscript: asFunctions },
      maxConditionsPerFunction: maxConditions,
      maxDepthPerFunction: maxDepth,
      leafVectors: { values: list(ts.leaves.values), bases: list(ts.leaves.bases) },
      groups: { typescript: list(ts.groups.map(groupText)), assemblyscript: list(as.groups.map(groupText)) },
      trees: shown,
      // the start of tree 0's entry function as the printers walk it: step, node, @nesting depth
      firstSteps: firstSteps,
    },
  };
}

function linearDump(m: LinearModel): Record<string, unknown> {
  return { linear: { accumulate: m.accumulate, missing: m.missing, bias: list(m.bias), weights: list(m.weights) } };
}

function kernelDump(m: KernelModel): Record<string, unknown> {
  const pairs = m.form === "ovo" ? ovoPairs(m) : [];
  return {
    kernel: {
      kernel: m.kernel,
      form: m.form,
      rawShape: m.rawShape,
      nSV: m.nSV,
      decisions: kernelDecisionCount(m),
      counts: list(m.counts),
      vectors: list(m.vectors),
      coef: list(m.coef),
      intercept: list(m.intercept),
      ovoPairs: list(
        pairs.map(
          ({ p, i, j, sides: [a, b] }) => `${p}: ${i} vs ${j}: sv ${a.from}..${a.to - 1} x coef@${a.coefRow}, sv ${b.from}..${b.to - 1} x coef@${b.coefRow}`,
        ),
      ),
    },
  };
}

/** A table as itself when short, else its length and first entries. */
function list(a: ArrayLike<unknown>): unknown {
  const items = Array.from(a);
  return items.length <= HEAD ? items : { length: items.length, first: items.slice(0, HEAD) };
}

const hex = (v: number) => `0x${v.toString(16)}`;

function num(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

/** Indented text: short arrays and objects on one line, the rest one entry per line. */
function show(v: unknown, indent: string): string {
  if (typeof v === "number") return num(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean" || v === null || v === undefined) return String(v);
  const inner = indent + "  ";
  const parts = Array.isArray(v)
    ? v.map((x) => show(x, inner))
    : Object.entries(v as Record<string, unknown>).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${show(x, inner)}`);
  const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
  if (parts.length === 0) return open + close;
  const flat = `${open} ${parts.join(", ")} ${close}`;
  if (!flat.includes("\n") && flat.length + indent.length <= 110) return Array.isArray(v) ? `[${parts.join(", ")}]` : flat;
  return `${open}\n${parts.map((p) => inner + p).join(",\n")}\n${indent}${close}`;
}
