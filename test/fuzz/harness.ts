// One fuzz case end to end: mutated model bytes → importer → (if accepted) both emitters, and now
// and then the compiled module against the evaluator. Any outcome other than a model or one
// CompileError naming the file is a defect.

import { readFileSync } from "node:fs";
import { emitTypeScript, STYLES } from "../../emitters/registry.ts";
import { compileToModule } from "../../src/compiledModule.ts";
import { CompileError } from "../../src/errors.ts";
import { evaluatePredictRaw } from "../../src/ir/evaluate.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { parseUbjson } from "../../src/io/readUbjson.ts";
import { loadModelFromBytes } from "../../src/loadModel.ts";
import { allPaths, mutateBytes, mutateDocument, mutateLines, rng, toJsonText } from "./mutate.ts";

export interface Seed {
  name: string;
  file: string; // basename used for format detection (.json, .ubj, .txt)
  bytes: Uint8Array;
  doc?: unknown;
  paths?: (string | number)[][];
  kind: "json" | "ubjson" | "text";
}

export function loadSeed(path: string): Seed {
  const bytes = new Uint8Array(readFileSync(path));
  const file = path.split("/").slice(-2).join("_");
  if (path.endsWith(".txt")) return { name: path, file, bytes, kind: "text" };
  const doc = path.endsWith(".ubj") ? parseUbjson(bytes) : parseTolerantJson(new TextDecoder().decode(bytes));
  return { name: path, file, bytes, doc, paths: allPaths(doc), kind: path.endsWith(".ubj") ? "ubjson" : "json" };
}

export type Outcome =
  | { kind: "model"; ir: ModelIR; ms: number }
  | { kind: "rejected"; error: CompileError; ms: number }
  | { kind: "defect"; error: unknown; ms: number; input: Uint8Array };

/** Mutate a seed with case number `n` (deterministic). */
export function mutated(seed: Seed, n: number): Uint8Array {
  const r = rng(n * 2654435761 + 17);
  const choice = r();
  if (seed.kind === "text") {
    if (choice < 0.75) return new TextEncoder().encode(mutateLines(new TextDecoder().decode(seed.bytes), r));
    return mutateBytes(seed.bytes, r);
  }
  if (choice < 0.7 && seed.doc !== undefined) {
    const doc = mutateDocument(seed.doc, seed.paths!, r);
    // UBJSON seeds are re-encoded as JSON text: the document mutations target the importer
    return new TextEncoder().encode(toJsonText(doc));
  }
  return mutateBytes(seed.bytes, r);
}

export function runCase(seed: Seed, input: Uint8Array): Outcome {
  const t0 = performance.now();
  const file = seed.kind === "ubjson" && input[0] === 0x7b && input[1] !== 0x22 ? seed.file : seed.file.replace(/\.ubj$/, ".json");
  try {
    const ir = loadModelFromBytes(input, file);
    try {
      for (const style of STYLES) emitTypeScript(ir, style);
    } catch (e) {
      // as the CLI does: emitter errors name the model file
      throw e instanceof CompileError ? e.inFile(file) : e;
    }
    return { kind: "model", ir, ms: performance.now() - t0 };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof CompileError && e.location.file === file && !/[\r\n]/.test(e.toLine())) return { kind: "rejected", error: e, ms };
    return { kind: "defect", error: e, ms, input };
  }
}

/** For accepted mutants: the compiled module agrees with the evaluator on a few rows. */
export async function checkAccepted(ir: ModelIR): Promise<string | undefined> {
  const rows = [Array(ir.nFeatures).fill(0), Array(ir.nFeatures).fill(NaN), Array.from({ length: ir.nFeatures }, (_, i) => i - 1.5)];
  for (const style of STYLES) {
    const mod = await compileToModule(ir, style);
    for (const row of rows) {
      const exp = evaluatePredictRaw(ir, row);
      const got = mod.predictRaw(row);
      const g = typeof got === "number" ? [got] : Array.from(got);
      if (!g.every((v, k) => Object.is(v, exp[k]))) return `${style}: raw ${g} vs evaluator ${Array.from(exp)}`;
    }
  }
  return undefined;
}

export const SEED_FILES = [
  "fixtures/xgb3-multi-softprob/model.json",
  "fixtures/xgb3-multi-softprob/model.ubj",
  "fixtures/xgb3-cat-partition/model.json",
  "fixtures/xgb3-gblinear-multi/model.json",
  "fixtures/xgb3-multi-target-vector-leaf/model.json",
  "fixtures/xgb2-dart/model.json",
  "fixtures/xgb1-binary-logistic/model.json",
];
