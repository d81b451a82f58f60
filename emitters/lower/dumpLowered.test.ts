// dumpLowered: the lowered form as readable text, with tables summarized (so large models stay short) and the
// packed node flags decoded; and the lowering passes it shows agree with what the printers print.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TreeInput } from "../../src/ir/builder.ts";
import type { ModelIR, TreeEnsemble } from "../../src/ir/types.ts";
import { loadModel } from "../../src/loadModel.ts";
import { testEnsemble } from "../../test/support/testEnsemble.ts";
import { emitTypeScript } from "../registry.ts";
import { dumpLowered } from "./dumpLowered.ts";
import { ifElsePlan } from "./ifElsePlan.ts";
import { DEFAULT_IFELSE_LIMITS, INLINE_MAX_NODES } from "./limits.ts";
import { CATEGORICAL, DEFAULT_LEFT, LEAF, ZERO_BAND, decodeNode, packNode } from "./nodeFlags.ts";
import { nodeTable } from "./nodeTable.ts";
import { treeFunctions } from "./treeFunctions.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures");

/** `n` full trees of the given depth on 4 features (heap numbering: children 2i+1, 2i+2), vector leaves when width > 1. */
function forest(n: number, depth: number, width = 1): ModelIR {
  const b = testEnsemble({
    name: "f",
    nFeatures: 4,
    numbers: "float64",
    base: Array.from({ length: width }, () => 0),
    header: { task: width > 1 ? "multitarget" : "regression" },
  });
  const size = 2 ** (depth + 1) - 1;
  const inner = 2 ** depth - 1;
  for (let t = 0; t < n; t++) {
    const node = Array.from({ length: size }, (_, i) => i);
    const tree: TreeInput = {
      left: node.map((i) => (i < inner ? 2 * i + 1 : -1)),
      right: node.map((i) => (i < inner ? 2 * i + 2 : -1)),
      feature: node.map((i) => (i < inner ? (i + t) % 4 : -1)),
      threshold: node.map((i) => (i < inner ? 0.5 * ((i % 5) - 2) : 0)),
      defaultLeft: node.map((i) => i % 2),
      leafValues: node.flatMap((i) => Array.from({ length: width }, (_, k) => (i < inner ? 0 : ((i + t) % 3) + 0.5 * k))),
      leafSize: width,
      output: 0,
    };
    b.addTree(tree, `$.trees[${t}]`);
  }
  return b.build();
}

const trees = (ir: ModelIR) => ir.model as TreeEnsemble;

describe("dumpLowered", () => {
  it("stays short for a 1000-tree model in both styles", () => {
    const ir = forest(1000, 6);
    for (const style of ["table", "ifelse"] as const) {
      const text = dumpLowered(ir, style);
      expect(text.split("\n").length).toBeLessThan(120);
      expect(text).toContain("trees: 1000");
      expect(text).toContain(`nodes: ${1000 * 127}`);
    }
    const table = dumpLowered(ir, "table");
    expect(table).toContain(`fk: { length: ${1000 * 127}, first: [`);
    expect(table).toContain("treeStart: { length: 1000, first: [0, 127, 254,");
    expect(table).toContain('DEFAULT_LEFT: "0x1000000"');
    const ifelse = dumpLowered(ir, "ifelse");
    // 63 conditions per tree: inlined in TypeScript, 12 per group (12 * 63 <= 800); AssemblyScript: 100 per group
    expect(ifelse).toContain("inlineTrees: 1000");
    expect(ifelse).toContain("functions: { typescript: 0, assemblyscript: 1000 }");
    expect(ifelse).toMatch(/typescript: \{\s*length: 84,\s*first: \[\s*"trees 0\.\.11 \(756 inline conditions\)"/);
    expect(ifelse).toMatch(/assemblyscript: \{\s*length: 10,\s*first: \[\s*"trees 0\.\.99 \(0 inline conditions\)"/);
  });

  it("decodes the packed flags of the first nodes", () => {
    const text = dumpLowered(forest(2, 2), "table");
    // heap tree of depth 2 in preorder: 0 (x[0]), 1 (x[1], default left), 2, 3 leaves, 4 (x[2]), 5, 6 leaves
    expect(text).toContain('"0: x[0] <= -1 -> 1 | 4"');
    expect(text).toContain('"1: x[1] <= -0.5 defaultLeft -> 2 | 3"');
    expect(text).toContain('"2: leaf 0"');
    expect(text).toContain('"4: x[2] <= 0 -> 5 | 6"');
  });

  it("shows each tree's functions and the cut with small limits", () => {
    const ir = forest(3, 8);
    const limits = { nodesPerFunction: 20, depthPerFunction: 4, treesPerGroup: 2 };
    const text = dumpLowered(ir, "ifelse", { ifelseLimits: limits });
    const fns = treeFunctions(trees(ir).trees[0]!, limits);
    expect(fns.length).toBeGreaterThan(1);
    expect(text).toContain(`functions: { typescript: ${3 * fns.length}, assemblyscript: ${3 * fns.length} }`);
    expect(text).toMatch(/"tree 0 \(511 nodes\): fn@0: \d+ conditions, \d+ steps, calls [\d ]+;/);
    expect(text).toContain('["trees 0..1 (0 inline conditions)", "trees 2..2 (0 inline conditions)"]');
    expect(text).toContain('firstSteps: ["if 0 @1", "if 1 @2", "if 2 @3", "if 3 @4"');
  });

  it("pools vector leaves for the TypeScript table and reports the un-pooled length", () => {
    const ir = forest(5, 3, 2);
    const pooled = nodeTable(trees(ir), 2, { poolVectorLeaves: true });
    const flat = nodeTable(trees(ir), 2, { poolVectorLeaves: false });
    expect(flat.leafVectors.length).toBe(5 * 8 * 2);
    expect(pooled.leafVectors.length).toBeLessThan(flat.leafVectors.length);
    const text = dumpLowered(ir, "table");
    expect(text).toContain(`unpooledLength: ${flat.leafVectors.length}`);
    expect(text).toMatch(/"3: leaf vector @\d+"/);
    // the printed LV table is the pooled one
    expect(emitTypeScript(ir, "table")).toContain(`const LV = /* @__PURE__ */ new Float64Array([${Array.from(pooled.leafVectors).join(", ")}]);`);
  });

  it("dumps categorical, linear and kernel models from fixtures", () => {
    const cat = dumpLowered(loadModel(join(FIXTURES, "lgb4-cat-int", "model.txt")), "table");
    expect(cat).toMatch(/categories: \{\s*sets: \d+,/);
    expect(cat).toMatch(/"\d: x\[\d\] in set \d+ -> \d+ \| \d+"/);
    const lin = dumpLowered(loadModel(join(FIXTURES, "xgb1-gblinear-multi", "model.json")), "ifelse");
    expect(lin).toContain('kind: "linear"');
    expect(lin).toContain('missing: "skip"');
    const svc = dumpLowered(loadModel(join(FIXTURES, "sk19-svc-poly-ovo", "model.json")), "table");
    expect(svc).toContain("decisions: 3");
    expect(svc).toContain('"0: 0 vs 1: sv 0..1 x coef@0, sv 2..17 x coef@0"');
  });
});

describe("lowering passes", () => {
  it("packs and decodes node words", () => {
    const fk = packNode(5, true, false, true);
    expect(fk).toBe(5 | DEFAULT_LEFT | ZERO_BAND);
    expect(decodeNode(fk)).toEqual({ kind: "split", feature: 5, defaultLeft: true, categorical: false, zeroBand: true });
    expect(decodeNode(packNode(3, false, true, false))).toMatchObject({ categorical: true, feature: 3 });
    expect(packNode(3, false, true, false) & CATEGORICAL).not.toBe(0);
    expect(decodeNode(LEAF)).toEqual({ kind: "leaf" });
  });

  it("cuts trees within the limits and visits every node once", () => {
    const ens = trees(forest(1, 10));
    const limits = { nodesPerFunction: 50, depthPerFunction: 5, treesPerGroup: 100 };
    const fns = treeFunctions(ens.trees[0]!, limits);
    const seen = new Set<number>();
    for (const fn of fns) {
      expect(fn.conditions).toBeLessThanOrEqual(limits.nodesPerFunction);
      for (const s of fn.steps) {
        expect(s.depth).toBeLessThanOrEqual(limits.depthPerFunction + 1);
        if (s.kind === "if" || s.kind === "leaf") {
          expect(seen.has(s.node)).toBe(false);
          seen.add(s.node);
        }
      }
    }
    expect(seen.size).toBe(ens.trees[0]!.nNodes);
    // every call names a later function's root
    const roots = fns.map((f) => f.root);
    for (const fn of fns) for (const s of fn.steps) if (s.kind === "call") expect(roots).toContain(s.node);
  });

  it("inlines small trees and groups them by conditions", () => {
    const ens = trees(forest(30, 6));
    const plan = ifElsePlan(ens, DEFAULT_IFELSE_LIMITS, { inlineMaxNodes: INLINE_MAX_NODES });
    expect(plan.inline.every((n) => n === 63)).toBe(true);
    expect(plan.groups.map((g) => [g.from, g.to])).toEqual([
      [0, 12],
      [12, 24],
      [24, 30],
    ]);
    expect(ifElsePlan(ens, DEFAULT_IFELSE_LIMITS).groups).toEqual([{ from: 0, to: 30, conditions: 0 }]);
    expect(ifElsePlan(trees(forest(2, 8)), DEFAULT_IFELSE_LIMITS, { inlineMaxNodes: INLINE_MAX_NODES }).inline).toEqual([-1, -1]);
  });
});
