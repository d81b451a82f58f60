// Version names and the pin config of `modelc serve` (src/serve/registry.ts), and the predict body's
// checks on their own.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HttpError, parsePredictBody } from "../../src/serve/predict.ts";
import { bundle } from "../../src/bundle/bundle.ts";
import { ModelRegistry, readPinConfig, splitVersion } from "../../src/serve/registry.ts";
import { FIXTURES, expectParity } from "../bundle/support.ts";

describe("serve: versions and pins", () => {
  it("reads versions from folder names (TensorFlow Serving's layout) and name@n", () => {
    expect(splitVersion("churn/3")).toEqual({ name: "churn", version: "3" });
    expect(splitVersion("eu/churn/0012")).toEqual({ name: "eu/churn", version: "12" });
    expect(splitVersion("churn@7")).toEqual({ name: "churn", version: "7" });
    expect(splitVersion("churn")).toEqual({ name: "churn", version: "1" });
    expect(splitVersion("churn_v2")).toEqual({ name: "churn_v2", version: "1" });
    expect(splitVersion("eu/churn")).toEqual({ name: "eu/churn", version: "1" });
  });

  it("reads pins from the config file and names what is wrong in it", () => {
    const dir = mkdtempSync(join(tmpdir(), "modelc-pins-"));
    try {
      const f = join(dir, "serve.json");
      writeFileSync(f, JSON.stringify({ models: { churn: { version: "2" }, fraud: { version: 5 }, other: {} } }));
      expect(readPinConfig(f)).toEqual(
        new Map([
          ["churn", "2"],
          ["fraud", "5"],
        ]),
      );
      writeFileSync(f, JSON.stringify({ models: { churn: { version: "latest" } } }));
      expect(() => readPinConfig(f)).toThrow(/models\.churn\.version/);
      writeFileSync(f, "{");
      expect(() => readPinConfig(f)).toThrow(SyntaxError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("serve: a wasm bundle with name@version files", () => {
  it("serves each version from its own chunk and .wasm; the newest by default", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modelc-versions-"));
    try {
      const src = join(dir, "models");
      mkdirSync(join(src, "eu"), { recursive: true });
      copyFileSync(join(FIXTURES, "xgb3-odd-names", "model.json"), join(src, "churn@1.json"));
      copyFileSync(join(FIXTURES, "xgb3-binary-logistic", "model.json"), join(src, "churn@2.json"));
      copyFileSync(join(FIXTURES, "xgb3-gblinear-multi", "model.json"), join(src, "eu", "fraud@3.json"));
      const out = join(dir, "out");
      const report = await bundle([src], { out, target: "wasm" });
      expect(report.models.map((m) => [m.name, m.chunk.replace(/\.[0-9a-f]{16}\.js$/, ""), m.wasm?.file.replace(/\.[0-9a-f]{16}\.wasm$/, "")])).toEqual([
        ["churn@1", "churn@1", "churn@1"],
        ["churn@2", "churn@2", "churn@2"],
        ["eu/fraud@3", "eu~fraud@3", "eu~fraud@3"],
      ]);
      const reg = new ModelRegistry(out, { log: () => {} });
      await reg.refresh();
      expect(reg.names()).toEqual(["churn", "eu/fraud"]);
      expect(reg.status("churn")!.map((v) => [v.version, v.state])).toEqual([
        ["1", "AVAILABLE"],
        ["2", "AVAILABLE"],
      ]);
      expect(reg.defaultVersion("churn")).toBe("2");
      expect(reg.defaultVersion("eu/fraud")).toBe("3");
      const v1 = reg.get("churn", "1");
      const v2 = reg.get("churn");
      if (!v1.ok || !v2.ok) throw new Error("not loaded");
      expect(v2.model.version).toBe("2");
      expectParity(v1.model.module, "xgb3-odd-names", "model.json", "churn@1");
      expectParity(v2.model.module, "xgb3-binary-logistic", "model.json", "churn@2");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("serve: predict bodies", () => {
  const bad = (body: unknown) => {
    try {
      parsePredictBody(body);
    } catch (e) {
      expect(e).toBeInstanceOf(HttpError);
      return (e as HttpError).message;
    }
    throw new Error("accepted");
  };

  it("accepts rows as arrays or objects, with null for missing values", () => {
    expect(parsePredictBody({ instances: [[1, null], { a: 1, b: null }], output: "raw" }).instances).toHaveLength(2);
  });

  it("refuses what is not a predict request, naming the place", () => {
    expect(bad(null)).toMatch(/\(body\)/);
    expect(bad([[1, 2]])).toMatch(/\(body\)/);
    expect(bad({ instances: "1,2" })).toMatch(/instances: .*expected array/);
    expect(bad({ instances: [[1, true]] })).toMatch(/instances\.0\.1: .*expected number/);
    expect(bad({ instances: [[1], [1, [2]]] })).toMatch(/instances\.1\.1/);
    expect(bad({ instances: [{ a: "1" }] })).toMatch(/instances\.0\.a/);
    expect(bad({ instances: [null] })).toMatch(/instances\.0: expected an array/);
    expect(bad({ instances: [[1]], output: "PREDICT" })).toMatch(/output/);
  });
});
