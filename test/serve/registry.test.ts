// Version names and the pin config of `modelc serve` (src/serve/registry.ts), and the predict body's
// checks on their own.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HttpError, parsePredictBody } from "../../src/serve/predict.ts";
import { readPinConfig, splitVersion } from "../../src/serve/registry.ts";

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
      expect(readPinConfig(f)).toEqual({ churn: "2", fraud: "5" });
      writeFileSync(f, JSON.stringify({ models: { churn: { version: "latest" } } }));
      expect(() => readPinConfig(f)).toThrow(/models\.churn\.version/);
      writeFileSync(f, "{");
      expect(() => readPinConfig(f)).toThrow(SyntaxError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
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
