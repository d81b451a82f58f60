// Bundled models import runtime helpers from one shared module instead of inlining them.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { emitJavaScript, tsToJs } from "../emitters/registry.ts";
import { runtimeModuleSource } from "../emitters/runtimeSource.ts";
import { loadModel } from "../src/loadModel.ts";
import { evaluatePredict, evaluateRaw } from "../src/ir/evaluate.ts";

it("a model compiled with runtimeImport uses the shared runtime module and predicts the same", async () => {
  const ir = loadModel(join(import.meta.dirname, "..", "fixtures", "xgb3-cat-partition", "model.json"));
  const dir = mkdtempSync(join(tmpdir(), "modelc-rt-"));
  writeFileSync(join(dir, "runtime.mjs"), await tsToJs(runtimeModuleSource()));
  const js = await emitJavaScript(ir, "table", { runtimeImport: "./runtime.mjs" });
  expect(js).toMatch(/^import \{[^}]*catGoesLeft[^}]*\} from "\.\/runtime\.mjs";$/m);
  expect(js).not.toMatch(/function catGoesLeft/);
  writeFileSync(join(dir, "m.mjs"), js);
  const mod = await import(pathToFileURL(join(dir, "m.mjs")).href);
  const row = Array.from({ length: ir.nFeatures }, (_, i) => (i % 3) + 0.5);
  const raw = evaluateRaw(ir, row);
  expect(mod.predictRaw(row)).toEqual(ir.nOutputs === 1 ? raw[0] : raw);
  expect(mod.predict(row)).toEqual(evaluatePredict(ir, row));
});
