// scikit-learn meta-estimators (src/importers/sklearn/meta.ts): malformed or unsupported composites fail with one
// CompileError naming the JSON path; inspect and --dump-lowered describe the members.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dumpLowered } from "../emitters/lower/dumpLowered.ts";
import { importSklearn } from "../src/importers/sklearn/importSklearn.ts";
import { describeModel } from "../src/inspect.ts";
import { parseTolerantJson } from "../src/io/readJson.ts";
import { compileErrorOf } from "./support/compileError.ts";

type Doc = { estimator: { class: string; params: Record<string, unknown>; attrs: Record<string, unknown> } };
const FIX = join(import.meta.dirname, "..", "fixtures");
const load = (name: string): Doc => parseTolerantJson(readFileSync(join(FIX, `sk19-${name}`, "model.json"), "utf8")) as Doc;

describe("meta-estimators: bad input is one CompileError", () => {
  it("weights that do not match the members", () => {
    const doc = load("meta-voting-soft-weighted");
    (doc.estimator.attrs.estimators_ as unknown[]).pop();
    const e = compileErrorOf(() => importSklearn(doc, { file: "m.json" }));
    expect(e.code).toBe("E_SHAPE");
    expect(e.location.path).toBe("$.estimator.params.weights");
  });

  it("a Bagging feature index out of range", () => {
    const doc = load("meta-bagging-reg");
    const feats = doc.estimator.attrs.estimators_features_ as { ndarray: { data: number[] } }[];
    feats[0]!.ndarray.data[0] = 99;
    const e = compileErrorOf(() => importSklearn(doc, { file: "m.json" }));
    expect(e.code).toBe("E_SHAPE");
    expect(e.message).toContain("is not an integer in 0..9");
    expect(e.location.path).toBe("$.estimator.attrs.estimators_features_[0]");
  });

  it("an unsupported inverse_func", () => {
    const doc = load("meta-ttr-log");
    const t = (doc.estimator.attrs.transformer_ as { estimator: Doc["estimator"] }).estimator;
    t.params.inverse_func = { function: "numpy.sqrt" };
    const e = compileErrorOf(() => importSklearn(doc, { file: "m.json" }));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.location.path).toContain("inverse_func");
  });

  it("a multilabel OneVsRestClassifier", () => {
    const doc = load("meta-ovr-gb");
    doc.estimator.attrs.multilabel_ = true;
    const e = compileErrorOf(() => importSklearn(doc, { file: "m.json" }));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.location.path).toBe("$.estimator.attrs.multilabel_");
  });

  it("a calibrator that is not one", () => {
    const doc = load("meta-calibrated-sigmoid-binary");
    const ccs = doc.estimator.attrs.calibrated_classifiers_ as { estimator: { attrs: { calibrators: { estimator: { class: string } }[] } } }[];
    ccs[1]!.estimator.attrs.calibrators[0]!.estimator.class = "LinearRegression";
    const e = compileErrorOf(() => importSklearn(doc, { file: "m.json" }));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.location.path).toContain("calibrated_classifiers_");
  });

  it("meta-estimators nested too deep", () => {
    const doc = load("meta-voting-soft-iris");
    let est = doc.estimator;
    for (let i = 0; i < 10; i++) est = { ...est, params: { ...est.params, weights: null }, attrs: { ...est.attrs, estimators_: [{ estimator: est }] } };
    const e = compileErrorOf(() => importSklearn({ ...doc, estimator: est }, { file: "m.json" }));
    expect(e.code).toBe("E_UNSUPPORTED");
    expect(e.message).toContain("nested more than 8 deep");
  });
});

describe("meta-estimators: inspect and the lowered dump", () => {
  it("name the members", () => {
    const ir = importSklearn(load("meta-stacking-clf-iris"), { file: "m.json" });
    const d = describeModel(ir);
    expect(d.kind).toBe("composite");
    expect(d.members?.map((m) => m.use)).toEqual(["proba", "proba"]);
    expect(d.available).toEqual(["predict", "predictProba", "predictRaw"]);
    expect(dumpLowered(ir, "table", {})).toContain("composite");
  });
});
