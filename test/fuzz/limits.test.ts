// Hostile sizes found by fuzzing: counts that would allocate gigabytes are refused up front.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CompileError } from "../../src/errors.ts";
import { loadModelFromBytes } from "../../src/loadModel.ts";

const FX = join(import.meta.dirname, "..", "..", "fixtures");
const enc = (s: string) => new TextEncoder().encode(s);

function error(bytes: Uint8Array, name: string): CompileError {
  try {
    loadModelFromBytes(bytes, name);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error("expected a CompileError");
}

describe("hostile sizes", () => {
  it("LightGBM JSON: num_leaves 2^31", () => {
    const doc = JSON.parse(readFileSync(join(FX, "lgb4-binary", "model.json"), "utf8"));
    doc.tree_info[0].num_leaves = 2 ** 31;
    const e = error(enc(JSON.stringify(doc)), "m.json");
    expect(e.location.path).toBe("$.tree_info[0].num_leaves");
  });
  it("LightGBM JSON: num_tree_per_iteration 2^31", () => {
    const doc = JSON.parse(readFileSync(join(FX, "lgb4-binary", "model.json"), "utf8"));
    doc.num_tree_per_iteration = 2 ** 31;
    expect(error(enc(JSON.stringify(doc)), "m.json").location.path).toBe("$.num_tree_per_iteration");
  });
  it("LightGBM text: num_leaves 2^31 and num_tree_per_iteration 2^31", () => {
    const t = readFileSync(join(FX, "lgb4-binary", "model.txt"), "utf8");
    expect(error(enc(t.replace(/^num_leaves=\d+/m, "num_leaves=2147483648")), "m.txt").message).toMatch(/num_leaves must be an integer in 1\.\.131072/);
    expect(error(enc(t.replace(/^num_tree_per_iteration=\d+/m, "num_tree_per_iteration=2147483648")), "m.txt").location.line).toBeGreaterThan(1);
  });
  it("XGBoost: vector leaves times nodes beyond the limit", () => {
    const doc = JSON.parse(readFileSync(join(FX, "xgb3-multi-softprob", "model.json"), "utf8"));
    doc.learner.learner_model_param.num_class = "65536";
    doc.learner.learner_model_param.base_score = "5E-1";
    doc.learner.gradient_booster.model.trees[0].tree_param.size_leaf_vector = "65536";
    const e = error(enc(JSON.stringify(doc)), "m.json");
    expect(["E_LIMIT", "E_SHAPE"]).toContain(e.code);
  });
});
