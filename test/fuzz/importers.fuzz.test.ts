// Seeded fuzzing of every importer: mutated real model files must end in a model (whose compiled code
// agrees with the evaluator) or one CompileError naming the file — never a crash, never > 5 s.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkAccepted, loadSeed, mutated, runCase, SEED_FILES } from "./harness.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const lgbSeeds = existsSync(join(ROOT, "fixtures"))
  ? readdirSync(join(ROOT, "fixtures"))
      .filter((d) => /^lgb4-(binary|multiclass|categorical|linear)/.test(d))
      .slice(0, 4)
      .flatMap((d) => [`fixtures/${d}/model.txt`, `fixtures/${d}/model.json`])
      .filter((f) => existsSync(join(ROOT, f)))
  : [];
// scikit-learn format version 2 (binary arrays: zlib-base64, base64, every record dtype)
// (and the multi-layer perceptrons: lists of weight arrays, a binary one among them)
const skSeeds = [
  "sk19-rf-clf-binary-arrays",
  "sk19-extra-trees-reg-raw-arrays",
  "sk19-hgb-clf-categorical-binary-arrays",
  "sk19-mlp-clf-binary",
  "sk19-mlp-pipeline-scaler",
  "sk19-knn-clf-strings-distance-p2",
  "sk12-knn-reg-distance-2out-p1",
]
  .map((d) => `fixtures/${d}/model.json`)
  .filter((f) => existsSync(join(ROOT, f)));
// meta-estimators: nested members, feature gathers, stacking, calibrators
const metaSeeds = ["sk19-meta-bagging-clf", "sk19-meta-stacking-clf-binary-passthrough", "sk19-meta-calibrated-isotonic-multiclass"]
  .map((d) => `fixtures/${d}/model.json`)
  .filter((f) => existsSync(join(ROOT, f)));
const CASES = Number(process.env.MODELC_FUZZ_CASES ?? 300);
const CHECK_EVERY = Number(process.env.MODELC_FUZZ_CHECK_EVERY ?? 25);

describe("importer fuzzing", () => {
  for (const rel of [...SEED_FILES, ...lgbSeeds, ...skSeeds, ...metaSeeds]) {
    it(`${rel}: ${CASES} mutants`, async () => {
      const seed = loadSeed(join(ROOT, rel));
      const counts = { model: 0, rejected: 0 };
      const codes = new Map<string, number>();
      for (let n = 0; n < CASES; n++) {
        const input = mutated(seed, n + rel.length * 100003);
        const out = runCase(seed, input);
        if (out.kind === "defect") {
          const msg =
            out.error instanceof Error ? `${out.error.name}: ${out.error.message}\n${out.error.stack?.split("\n").slice(1, 4).join("\n")}` : String(out.error);
          throw new Error(`case ${n}: ${msg}`);
        }
        expect(out.ms, `case ${n} took ${out.ms} ms`).toBeLessThan(5000);
        counts[out.kind]++;
        if (out.kind === "rejected") codes.set(out.error.code, (codes.get(out.error.code) ?? 0) + 1);
        if (out.kind === "model" && CHECK_EVERY > 0 && counts.model % CHECK_EVERY === 1) {
          const problem = await checkAccepted(out.ir);
          if (problem) throw new Error(`case ${n}: accepted mutant disagrees: ${problem}`);
        }
      }
      // both outcomes occur, so the mutations reach past the parser
      expect(counts.rejected).toBeGreaterThan(0);
      expect(counts.model + counts.rejected).toBe(CASES);
    });
  }
});
