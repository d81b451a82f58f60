// Strings from model files (feature names, class labels, model names) never break out of the
// generated code: hostile payloads still give a module that parses, exports the API, and runs nothing.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitTypeScript, STYLES, tsToJs } from "../emitters/registry.ts";
import { importJs } from "../src/compiledModule.ts";
import { loadModel } from "../src/loadModel.ts";

const PAYLOADS = [
  `"); globalThis.__pwned = 1; ("`,
  "'); globalThis.__pwned = 1; ('",
  "`${globalThis.__pwned = 1}`",
  "*/ globalThis.__pwned = 1; /*",
  "\u2028globalThis.__pwned = 1;\u2029",
  "</script><script>globalThis.__pwned = 1</script>",
  "\\u0022); globalThis.__pwned = 1; //",
  "\n// \nglobalThis.__pwned = 1;\n",
  "\u0000\uFFFF\uD800",
];

describe("code injection through model strings", () => {
  const src = join(import.meta.dirname, "..", "fixtures", "xgb3-multi-softprob", "model.json");
  const doc = JSON.parse(readFileSync(src, "utf8"));
  const n = Number(doc.learner.learner_model_param.num_feature);
  doc.learner.feature_names = Array.from({ length: n }, (_, i) => PAYLOADS[i % PAYLOADS.length]! + i);
  doc.learner.feature_types = Array(n).fill("q");
  const dir = mkdtempSync(join(tmpdir(), "modelc-inject-"));
  const file = join(dir, "evil.json");
  writeFileSync(file, JSON.stringify(doc));

  for (const style of STYLES) {
    it(`feature names, class labels and model name (${style})`, async () => {
      const classes = PAYLOADS.slice(0, Number(doc.learner.learner_model_param.num_class));
      const ir = loadModel(file, { name: PAYLOADS[0]!, classes });
      const ts = emitTypeScript(ir, style);
      const js = await tsToJs(ts);
      const g = globalThis as { __pwned?: number };
      delete g.__pwned;
      const mod = await importJs(js);
      expect(g.__pwned).toBeUndefined();
      expect(mod.meta.name).toBe(PAYLOADS[0]);
      expect((mod.meta as unknown as { featureNames: string[] }).featureNames).toEqual(doc.learner.feature_names);
      expect(mod.meta.classes).toEqual(classes);
      const row = Array(n).fill(1);
      expect(classes).toContain(mod.predict(row));
      expect(() => mod.predict([1])).toThrow(RangeError);
      expect(g.__pwned).toBeUndefined();
      // no raw payload text in the source: every non-ASCII or quote-breaking character is escaped
      expect(ts).not.toContain("\u2028");
      expect(ts).not.toContain("</script>");
    });
  }
});
